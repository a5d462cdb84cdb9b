using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Audiobook.Api.Media;

/// <summary>An ISO BMFF box: where it sits, how big its header is, and how big it says it is.</summary>
public readonly record struct Box(string Type, long Offset, int HeaderSize, long Size)
{
    public long End => Offset + Size;

    public long PayloadOffset => Offset + HeaderSize;

    public long PayloadSize => Size - HeaderSize;
}

public sealed class MalformedMp4Exception(string reason) : Exception(reason);

/// <summary>
/// Walks boxes over ranged reads. Every size is checked against its parent before it is trusted,
/// so truncated files, overflowing sizes and boxes that do not fit are reported, never followed.
/// </summary>
public sealed class BoxReader(IByteSource source)
{
    public const int MaxChildren = 100_000;

    public long Length => source.Length;

    public async IAsyncEnumerable<Box> ChildrenAsync(long start, long end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = start;
        for (var count = 0; offset < end; count++)
        {
            if (count >= MaxChildren)
            {
                throw new MalformedMp4Exception($"More than {MaxChildren} boxes in one container.");
            }
            var box = await ReadHeaderAsync(offset, end, cancellationToken);
            yield return box;
            offset = box.End;
        }
    }

    public async ValueTask<Box> ReadHeaderAsync(long offset, long parentEnd, CancellationToken cancellationToken)
    {
        var remaining = parentEnd - offset;
        if (remaining < 8)
        {
            throw new MalformedMp4Exception($"{remaining} stray bytes at offset {offset} do not form a box (truncated file?).");
        }
        var header = new byte[16];
        await ReadExactlyAsync(offset, header.AsMemory(0, 8), cancellationToken);
        var size32 = BinaryPrimitives.ReadUInt32BigEndian(header);
        var type = ReadType(header.AsSpan(4, 4), offset);

        long size;
        var headerSize = 8;
        if (size32 == 1)
        {
            if (remaining < 16)
            {
                throw new MalformedMp4Exception($"Box '{type}' at offset {offset} is cut off inside its header.");
            }
            await ReadExactlyAsync(offset + 8, header.AsMemory(8, 8), cancellationToken);
            var size64 = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
            size = size64 > long.MaxValue ? long.MaxValue : (long)size64;
            headerSize = 16;
        }
        else
        {
            size = size32 == 0 ? remaining : size32;
        }

        if (size < headerSize)
        {
            throw new MalformedMp4Exception($"Box '{type}' at offset {offset} claims {size} bytes, less than its own header.");
        }
        if (size > remaining)
        {
            throw new MalformedMp4Exception($"Box '{type}' at offset {offset} claims {size} bytes but only {remaining} remain (truncated file?).");
        }
        return new Box(type, offset, headerSize, size);
    }

    /// <summary>Reads the start of a box's payload (at most <paramref name="max"/> bytes).</summary>
    public async ValueTask<byte[]> ReadPayloadAsync(Box box, int max, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(box.PayloadSize, max)];
        await ReadExactlyAsync(box.PayloadOffset, buffer, cancellationToken);
        return buffer;
    }

    public async ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < destination.Length)
        {
            var n = await source.ReadAsync(offset + read, destination[read..], cancellationToken);
            if (n == 0)
            {
                throw new MalformedMp4Exception($"The file ends at offset {offset + read}, inside a box.");
            }
            read += n;
        }
    }

    /// <summary>Four printable ASCII characters, or '©' (0xA9) as Apple's tag boxes begin (©nam, ©ART, ...).</summary>
    private static string ReadType(ReadOnlySpan<byte> bytes, long offset)
    {
        foreach (var b in bytes)
        {
            if (b is (< 0x20 or > 0x7E) and not 0xA9)
            {
                throw new MalformedMp4Exception($"The bytes at offset {offset} are not a box header.");
            }
        }
        return System.Text.Encoding.Latin1.GetString(bytes);
    }
}
