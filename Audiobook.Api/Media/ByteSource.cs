namespace Audiobook.Api.Media;

/// <summary>Random access to the bytes of a stored object (ranged reads), so a file is never read whole.</summary>
public interface IByteSource
{
    long Length { get; }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; fewer only at the end.</summary>
    ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken);
}

public sealed class MemoryByteSource(ReadOnlyMemory<byte> data) : IByteSource
{
    public long Length => data.Length;

    public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (offset >= data.Length)
        {
            return ValueTask.FromResult(0);
        }
        var count = (int)Math.Min(destination.Length, data.Length - offset);
        data.Slice((int)offset, count).CopyTo(destination);
        return ValueTask.FromResult(count);
    }
}
