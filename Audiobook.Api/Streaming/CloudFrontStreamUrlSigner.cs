using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>
/// Stream URLs signed for CloudFront (production). Expiry is rounded up to the end of a time
/// bucket: every request for the same chapter within a bucket gets the very same URL — browsers
/// and CloudFront reuse it, and the RSA signature is computed once per chapter and bucket
/// (signing costs far more than the rest of the request). A URL lives between UrlLifetime and
/// UrlLifetime + TimeBucket.
/// </summary>
public sealed class CloudFrontStreamUrlSigner : IStreamUrlSigner, IDisposable
{
    private readonly CloudFrontOptions options;
    private readonly TimeSpan lifetime;
    private readonly TimeProvider time;
    private readonly CloudFrontUrlSigner signer;
    private readonly ConcurrentDictionary<(string Key, string? Download, long Bucket), SignedUrl> cache = new();
    private long newestBucket;

    public CloudFrontStreamUrlSigner(IOptions<CloudFrontOptions> cloudFront, IOptions<StreamingOptions> streaming, TimeProvider time)
    {
        options = cloudFront.Value;
        lifetime = streaming.Value.UrlLifetime;
        this.time = time;
        signer = new CloudFrontUrlSigner(options.KeyPairId, options.ActivePrivateKey, options.HashAlgorithm);
    }

    public string Name => "cloudfront";

    public SignedUrl Sign(StreamTarget target)
    {
        var bucket = time.GetUtcNow().ToUnixTimeSeconds() / (long)options.TimeBucket.TotalSeconds;
        EvictWhenBucketAdvances(bucket);
        return cache.GetOrAdd((target.ObjectKey, target.DownloadFileName, bucket), key =>
        {
            var expires = DateTimeOffset.FromUnixTimeSeconds((key.Bucket + 1) * (long)options.TimeBucket.TotalSeconds) + lifetime;
            var url = $"https://{options.Domain}/{string.Join('/', target.ObjectKey.Split('/').Select(Uri.EscapeDataString))}";
            if (key.Download is not null)
            {
                url += "?response-content-disposition=" + Uri.EscapeDataString(ContentDisposition.Attachment(key.Download));
            }
            return new SignedUrl(signer.SignCanned(url, expires), expires);
        });
    }

    public void Dispose() => signer.Dispose();

    /// <summary>URLs of past buckets are never handed out again: drop them once, when a new bucket begins.</summary>
    private void EvictWhenBucketAdvances(long bucket)
    {
        var newest = Interlocked.Read(ref newestBucket);
        if (bucket <= newest || Interlocked.CompareExchange(ref newestBucket, bucket, newest) != newest)
        {
            return;
        }
        foreach (var stale in cache.Keys.Where(k => k.Bucket < bucket))
        {
            cache.TryRemove(stale, out _);
        }
    }
}
