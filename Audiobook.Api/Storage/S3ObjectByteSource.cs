using Amazon.S3;
using Amazon.S3.Model;
using Audiobook.Api.Media;

namespace Audiobook.Api.Storage;

/// <summary>Ranged GETs of one S3 object, for the MP4 inspector.</summary>
public sealed class S3ObjectByteSource(IAmazonS3 s3, string bucket, string key, long length) : IByteSource
{
    public long Length => length;

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (offset >= length || destination.Length == 0)
        {
            return 0;
        }
        var last = Math.Min(length, offset + destination.Length) - 1;
        using var response = await s3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ByteRange = new ByteRange(offset, last),
        }, cancellationToken);
        var total = 0;
        int read;
        while (total < destination.Length && (read = await response.ResponseStream.ReadAsync(destination[total..], cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }
}
