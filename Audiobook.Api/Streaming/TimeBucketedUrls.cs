using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>
/// Signed URLs rounded to time buckets. Expiry is the end of the current bucket plus the URL
/// lifetime, so every request for the same target within a bucket gets the very same URL: browsers
/// and CloudFront can reuse it, and signing (RSA for CloudFront, SigV4 for S3 — far costlier than the
/// rest of the request) happens once per target and bucket. A URL lives between UrlLifetime and
/// UrlLifetime + TimeBucket.
/// </summary>
public sealed class TimeBucketedUrls(IOptions<StreamingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(StreamTarget Target, long Bucket), SignedUrl> cache = new();
    private long newestBucket;

    public SignedUrl GetOrSign(StreamTarget target, Func<StreamTarget, DateTimeOffset, string> sign)
    {
        var size = (long)options.Value.TimeBucket.TotalSeconds;
        var bucket = time.GetUtcNow().ToUnixTimeSeconds() / size;
        EvictWhenBucketAdvances(bucket);
        return cache.GetOrAdd((target, bucket), key =>
        {
            var expires = DateTimeOffset.FromUnixTimeSeconds((key.Bucket + 1) * size) + options.Value.UrlLifetime;
            return new SignedUrl(sign(key.Target, expires), expires);
        });
    }

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
