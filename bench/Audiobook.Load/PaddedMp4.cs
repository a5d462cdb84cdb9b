using System.Buffers.Binary;
using Audiobook.Api.Media;

namespace Audiobook.Load;

/// <summary>
/// A file of any size whose padding is never stored: a real moov-at-end sample's ftyp and mdat, then a
/// 'free' box of zeros (64-bit sized past 4 GiB), then its moov (whose chunk offsets still point into the mdat). What reading a
/// 2 GB book costs is measured on it without a 2 GB file.
/// </summary>
public sealed class PaddedMp4 : IByteSource
{
    private readonly byte[] head;
    private readonly long padding;
    private readonly byte[] tail;

    private PaddedMp4(byte[] head, long padding, byte[] tail) => (this.head, this.padding, this.tail) = (head, padding, tail);

    public long Length => head.Length + padding + tail.Length;

    public static PaddedMp4 MoovAtEnd(byte[] sample, long size)
    {
        var moov = Mp4Boxes.FindPath(sample, "moov")[0];
        if (moov + BinaryPrimitives.ReadUInt32BigEndian(sample.AsSpan(moov)) != sample.Length)
        {
            throw new ArgumentException("The sample's moov must be its last box.", nameof(sample));
        }
        var free = size - sample.Length;
        if (free < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The padding needs room for a 'free' box header.");
        }
        // A box of more than 4 GiB says so with size 1 and a 64-bit size after its type.
        var large = free > uint.MaxValue;
        var header = large ? 16 : 8;
        var head = new byte[moov + header];
        sample.AsSpan(0, moov).CopyTo(head);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(moov), large ? 1u : (uint)free);
        "free"u8.CopyTo(head.AsSpan(moov + 4));
        if (large)
        {
            BinaryPrimitives.WriteUInt64BigEndian(head.AsSpan(moov + 8), (ulong)free);
        }
        return new PaddedMp4(head, free - header, sample[moov..]);
    }

    public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var count = (int)Math.Clamp(Length - offset, 0, destination.Length);
        var span = destination.Span[..count];
        var paddingEnd = head.Length + padding;
        while (!span.IsEmpty)
        {
            int n;
            if (offset < head.Length)
            {
                n = (int)Math.Min(span.Length, head.Length - offset);
                head.AsSpan((int)offset, n).CopyTo(span);
            }
            else if (offset < paddingEnd)
            {
                n = (int)Math.Min(span.Length, paddingEnd - offset);
                span[..n].Clear();
            }
            else
            {
                n = span.Length;
                tail.AsSpan((int)(offset - paddingEnd), n).CopyTo(span);
            }
            span = span[n..];
            offset += n;
        }
        return ValueTask.FromResult(count);
    }

    /// <summary>The whole file in memory (for sizes a test can hold).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        _ = ReadAsync(0, bytes, CancellationToken.None);
        return bytes;
    }
}
