using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Audiobook.Api.Streaming;
using BenchmarkDotNet.Attributes;

namespace Audiobook.Bench.Micro;

/// <summary>One stream URL: CloudFront canned policy (RSA-2048, SHA-1 and SHA-256) and an S3 presign (HMAC, no network).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SignerBenchmarks : IDisposable
{
    private readonly CloudFrontUrlSigner sha1;
    private readonly CloudFrontUrlSigner sha256;
    private readonly AmazonS3Client s3 = new(new Amazon.Runtime.BasicAWSCredentials("test", "test"), Amazon.RegionEndpoint.USEast1);
    private readonly DateTimeOffset expires = DateTimeOffset.UtcNow.AddHours(1);

    public SignerBenchmarks()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        sha1 = new CloudFrontUrlSigner("KBENCHMARK", pem, CloudFrontHashAlgorithm.Sha1);
        sha256 = new CloudFrontUrlSigner("KBENCHMARK", pem, CloudFrontHashAlgorithm.Sha256);
    }

    private const string Url = "https://d111111abcdef8.cloudfront.net/books/0195a8c2d4e67b3f8a9c0d1e2f3a4b5c/chapters/0195a8c2d4e67b3f8a9c0d1e2f3a4b5d.m4a";

    [Benchmark(Baseline = true)]
    public string CloudFrontCannedSha1() => sha1.SignCanned(Url, expires);

    [Benchmark]
    public string CloudFrontCannedSha256() => sha256.SignCanned(Url, expires);

    [Benchmark]
    public string S3Presign() => s3.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = "audiobook-production-audio",
        Key = "books/0195a8c2d4e67b3f8a9c0d1e2f3a4b5c/chapters/0195a8c2d4e67b3f8a9c0d1e2f3a4b5d.m4a",
        Verb = HttpVerb.GET,
        Expires = expires.UtcDateTime,
    });

    public void Dispose()
    {
        sha1.Dispose();
        sha256.Dispose();
        s3.Dispose();
        GC.SuppressFinalize(this);
    }
}
