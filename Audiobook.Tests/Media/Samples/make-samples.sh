#!/usr/bin/env bash
# Regenerates the test audio in this folder (needs ffmpeg). See README.md for what each file is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
f() { ffmpeg -hide_banner -loglevel error -y "$@"; }
tone() { echo "sine=frequency=$1:duration=$2"; }

f -f lavfi -i "$(tone 440 5)" -ac 1 -c:a aac -b:a 32k -movflags +faststart -f ipod faststart.m4a
f -f lavfi -i "$(tone 440 5)" -ac 1 -c:a aac -b:a 32k -f ipod moov-at-end.m4a
f -f lavfi -i "$(tone 330 6)" -ac 1 -c:a aac -b:a 32k \
  -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000 -f mp4 fragmented.mp4
f -f lavfi -i "$(tone 550 4)" -ac 1 -c:a aac -b:a 32k -brand isom -f mp4 isom.mp4
chapters="$(mktemp)"
printf ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=3000\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=3000\nEND=7000\ntitle=Two\n' >"$chapters"
f -f lavfi -i "$(tone 220 7)" -i "$chapters" -map_metadata 1 -map_chapters 1 -ac 1 -c:a aac -b:a 32k -brand "M4B " -f mp4 with-chapters.m4b
rm -f "$chapters"
f -f lavfi -i "testsrc=duration=2:size=64x48:rate=5" -c:v mpeg4 -f mp4 video-only.mp4
f -f lavfi -i "$(tone 440 3)" -ac 1 -c:a libmp3lame -b:a 32k -f mp3 mp3-renamed.m4a
f -f lavfi -i "$(tone 440 1)" -ac 1 -f wav tone.wav
cp faststart.m4a protected.m4p
printf 'M4P ' | dd of=protected.m4p bs=1 seek=8 conv=notrunc status=none
echo "This is not audio, just text pretending to be an m4a file." >text.m4a
