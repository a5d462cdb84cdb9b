namespace Audiobook.Api.Media;

/// <summary>
/// Turns many small reads (box headers) into few aligned block fetches from the underlying source,
/// and enforces a budget so no input, however hostile, makes the parser fetch too much.
/// </summary>
public sealed class BlockCachedByteSource(IByteSource inner, int blockSize, long maxBytesFetched) : IByteSource
{
    private readonly Dictionary<long, byte[]> blocks = [];

    public long Length => inner.Length;

    /// <summary>Bytes actually fetched from the underlying source.</summary>
    public long BytesFetched { get; private set; }

    public void RaiseBudget(long bytes) => maxBytesFetched += bytes;

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var copied = 0;
        while (copied < destination.Length && offset + copied < Length)
        {
            var position = offset + copied;
            var block = await GetBlockAsync(position / blockSize, cancellationToken);
            var within = (int)(position % blockSize);
            var count = Math.Min(block.Length - within, destination.Length - copied);
            if (count <= 0)
            {
                break;
            }
            block.AsMemory(within, count).CopyTo(destination[copied..]);
            copied += count;
        }
        return copied;
    }

    private async ValueTask<byte[]> GetBlockAsync(long index, CancellationToken cancellationToken)
    {
        if (blocks.TryGetValue(index, out var cached))
        {
            return cached;
        }
        var start = index * blockSize;
        var size = (int)Math.Min(blockSize, Length - start);
        if (BytesFetched + size > maxBytesFetched)
        {
            throw new ReadBudgetExceededException(maxBytesFetched);
        }
        var block = new byte[size];
        var read = 0;
        while (read < size)
        {
            var n = await inner.ReadAsync(start + read, block.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"The object ended at {start + read} bytes, before its stated length {Length}.");
            }
            read += n;
        }
        BytesFetched += size;
        if (blocks.Count >= 64)
        {
            blocks.Clear();
        }
        blocks[index] = block;
        return block;
    }
}

public sealed class ReadBudgetExceededException(long budget)
    : Exception($"Inspecting the file would read more than {budget} bytes.");
