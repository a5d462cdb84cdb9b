using Audiobook.Api.Media;
using Microsoft.Win32.SafeHandles;

namespace Audiobook.Load;

/// <summary>A file on disk read at any offset, as a client sends it in parts.</summary>
public sealed class FileBytes(string path) : IByteSource, IDisposable
{
    private readonly SafeFileHandle handle = File.OpenHandle(path);

    public long Length => RandomAccess.GetLength(handle);

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, destination[total..], offset + total, cancellationToken);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    public void Dispose() => handle.Dispose();
}
