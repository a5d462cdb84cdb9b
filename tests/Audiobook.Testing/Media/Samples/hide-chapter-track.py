"""Turns ffmpeg's two chapter lists into the Nero list alone (as Mp3tag writes it): the QuickTime
chapter track and the audio track's reference to it are renamed to 'free' boxes, which readers skip."""
import struct
import sys

CONTAINERS = {b"moov", b"trak", b"mdia"}


def boxes(data, start, end):
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        yield start, size, kind
        start += size


def handler(data, trak_start, trak_end):
    for start, size, kind in boxes(data, trak_start + 8, trak_end):
        if kind == b"mdia":
            for s, _, k in boxes(data, start + 8, start + size):
                if k == b"hdlr":
                    return data[s + 16:s + 20]
    return None


def hide(data, start, end):
    for box, size, kind in boxes(data, start, end):
        if kind == b"tref" or (kind == b"trak" and handler(data, box, box + size) == b"text"):
            data[box + 4:box + 8] = b"free"
        elif kind in CONTAINERS:
            hide(data, box + 8, box + size)


data = bytearray(open(sys.argv[1], "rb").read())
hide(data, 0, len(data))
open(sys.argv[2], "wb").write(data)
