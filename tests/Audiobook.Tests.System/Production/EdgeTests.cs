using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Streaming;
using Audiobook.AppHost.ProductionLike;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// The local CloudFront edge of the production-like profile, as a viewer meets it: CloudFront's 403 for
/// every URL its key group did not sign as it is, the bucket read as Origin Access Control reads it
/// (only what the bucket policy lets CloudFront read, only the query strings the cache policy
/// forwards), and the response headers policy on every answer.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class EdgeTests(ProductionLikeAppHost production)
{
    private AppHostFixture Host => production.Host;

    private string Edge => $"http://{LocalServiceStack.CloudFrontHost}:{Host.App.GetEndpoint("cdn", "http").Port}";

    [Fact]
    public async Task Every_url_the_key_group_did_not_sign_as_it_is_gets_cloudfronts_403()
    {
        var key = await StoredObjectAsync("books/edge-check/chapters/a.m4a");
        var url = $"{Edge}/{key}";
        using var signer = await SignerAsync();
        using var stranger = RSA.Create(2048);
        using var forger = new CloudFrontUrlSigner(Host.Setting("CloudFront__KeyPairId"), stranger.ExportPkcs8PrivateKeyPem());
        using var unknown = new CloudFrontUrlSigner("KUNKNOWNKEY0001", await PrivateKeyAsync());
        var now = DateTimeOffset.UtcNow;

        await ExpectServedAsync(signer.SignCanned(url, now.AddMinutes(5)));
        await ExpectRefusedAsync(url, "MissingKey");
        await ExpectRefusedAsync(signer.SignCanned(url, now.AddSeconds(-5)), "AccessDenied");
        await ExpectRefusedAsync(signer.Sign(url, new CloudFrontPolicy(url, now.AddMinutes(10), NotBefore: now.AddMinutes(5))), "AccessDenied");
        await ExpectRefusedAsync(forger.SignCanned(url, now.AddMinutes(5)), "AccessDenied");
        await ExpectRefusedAsync(unknown.SignCanned(url, now.AddMinutes(5)), "InvalidKey");
        await ExpectRefusedAsync(signer.SignCanned(url, now.AddMinutes(5)).Replace("edge-check", "edge-chock", StringComparison.Ordinal), "AccessDenied");
        // A custom policy for one book's objects opens that book, not another.
        var book = signer.Sign(url, new CloudFrontPolicy($"{Edge}/books/edge-check/*", now.AddMinutes(5)));
        await ExpectServedAsync(book);
        await ExpectRefusedAsync(book.Replace("/books/edge-check/", "/books/other-book/", StringComparison.Ordinal), "AccessDenied");
    }

    [Fact]
    public async Task The_edge_reads_only_what_the_bucket_policy_lets_cloudfront_read()
    {
        var outside = await StoredObjectAsync("outside/notes.txt");
        using var signer = await SignerAsync();
        using var viewer = LoopbackClient.Create();

        // Signed, so the edge asks the bucket; the bucket policy lets CloudFront read books/* only.
        var refused = await viewer.GetAsync(new Uri(signer.SignCanned($"{Edge}/{outside}", DateTimeOffset.UtcNow.AddMinutes(5))), Token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("AccessDenied", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_query_strings_the_cache_policy_forwards_reach_the_bucket()
    {
        var key = await StoredObjectAsync("books/edge-check/chapters/b.m4a");
        using var signer = await SignerAsync();
        using var viewer = LoopbackClient.Create();
        var url = $"{Edge}/{key}?response-content-type=audio%2Fx-test&response-cache-control=no-store";

        var answer = await viewer.GetAsync(new Uri(signer.SignCanned(url, DateTimeOffset.UtcNow.AddMinutes(5))), Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("audio/x-test", answer.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual("no-store", answer.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData(ProductionLikeAppHost.WebOrigin, true)]
    [InlineData("https://evil.example.com", false)]
    public async Task The_response_headers_policy_admits_the_web_origins_and_sets_the_security_headers(string origin, bool allowed)
    {
        var key = await StoredObjectAsync("books/edge-check/chapters/c.m4a");
        using var signer = await SignerAsync();
        using var viewer = LoopbackClient.Create();
        var url = new Uri(signer.SignCanned($"{Edge}/{key}", DateTimeOffset.UtcNow.AddMinutes(5)));
        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "range");
        using var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Add("Origin", origin);

        var answer = await viewer.SendAsync(preflight, Token);
        var served = await viewer.SendAsync(get, Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode); // refused by CORS headers, not by an error
        Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) && origins.Single() == origin);
        Assert.Equal(allowed, served.Headers.TryGetValues("Access-Control-Allow-Origin", out var servedOrigins) && servedOrigins.Single() == origin);
        if (allowed)
        {
            Assert.Contains("Range", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
            Assert.Contains("Content-Range", served.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        }
        Assert.Contains("max-age=31536000", served.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private async Task ExpectServedAsync(string url)
    {
        using var viewer = LoopbackClient.Create();
        var answer = await viewer.GetAsync(new Uri(url), Token);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(Token)}");
    }

    private static async Task ExpectRefusedAsync(string url, string code)
    {
        using var viewer = LoopbackClient.Create();
        var answer = await viewer.GetAsync(new Uri(url), Token);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains($"<Code>{code}</Code>", await answer.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private async Task<string> StoredObjectAsync(string key)
    {
        using var s3 = Host.CreateS3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Host.Setting("Storage__BucketName"), Key = key, ContentBody = "audio bytes", ContentType = "audio/mp4" }, Token);
        return key;
    }

    private async Task<CloudFrontUrlSigner> SignerAsync() => new(Host.Setting("CloudFront__KeyPairId"), await PrivateKeyAsync());

    private async Task<string> PrivateKeyAsync()
    {
        using var ssm = Host.CreateSsmClient();
        var parameter = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/audiobook/local/CloudFront/Keys/A/PrivateKey", WithDecryption = true }, Token);
        return parameter.Parameter.Value;
    }
}
