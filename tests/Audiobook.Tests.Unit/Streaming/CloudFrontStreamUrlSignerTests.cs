using System.Security.Cryptography;
using System.Text;
using System.Web;
using Audiobook.Api.Streaming;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Audiobook.Tests.Streaming;

public sealed class CloudFrontStreamUrlSignerTests
{
    private static readonly string Pem = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Streaming", "Vectors", "test-rsa-2048.pem"));
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static (CloudFrontStreamUrlSigner Signer, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Start);
        var signer = new CloudFrontStreamUrlSigner(
            Options.Create(new CloudFrontOptions { Domain = "media.example.com", KeyPairId = "K2JCJMDEHXQW5F", KeySlot = "B", Keys = { ["B"] = new() { PrivateKey = Pem } } }),
            Options.Create(new StreamingOptions { UrlLifetime = TimeSpan.FromHours(1), TimeBucket = TimeSpan.FromMinutes(15) }),
            time);
        return (signer, time);
    }

    [Fact]
    public void The_same_chapter_gets_the_same_url_within_a_time_bucket_and_a_new_one_after()
    {
        var (signer, time) = Create();
        var target = new StreamTarget("books/b/chapters/c.m4a", "audio/mp4", null);

        var first = signer.Sign(target);
        time.Advance(TimeSpan.FromMinutes(14));
        var later = signer.Sign(target);
        time.Advance(TimeSpan.FromMinutes(2));
        var next = signer.Sign(target);

        Assert.Equal(first, later);
        Assert.NotEqual(first.Url, next.Url);
        Assert.Equal(Start.AddMinutes(15).AddHours(1), first.ExpiresAt);
    }

    [Fact]
    public void A_url_always_lives_at_least_the_configured_lifetime()
    {
        var (signer, time) = Create();
        for (var minute = 0; minute < 60; minute += 7)
        {
            var url = signer.Sign(new StreamTarget("books/b/chapters/c.m4a", "audio/mp4", null));
            Assert.InRange(url.ExpiresAt - time.GetUtcNow(), TimeSpan.FromHours(1), TimeSpan.FromHours(1).Add(TimeSpan.FromMinutes(15)));
            time.Advance(TimeSpan.FromMinutes(7));
        }
    }

    [Fact]
    public void Download_urls_carry_the_file_name_inside_the_signed_resource()
    {
        var (signer, _) = Create();

        var signed = signer.Sign(new StreamTarget("books/b/chapters/c.m4a", "audio/mp4", "\uC81C 1\uC7A5.m4a"));

        var uri = new Uri(signed.Url);
        Assert.Equal("media.example.com", uri.Host);
        Assert.Equal("/books/b/chapters/c.m4a", uri.AbsolutePath);
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal(ContentDisposition.Attachment("\uC81C 1\uC7A5.m4a"), query["response-content-disposition"]);
        var resource = signed.Url[..signed.Url.IndexOf("&Expires=", StringComparison.Ordinal)];
        var policy = new CloudFrontPolicy(resource, signed.ExpiresAt).ToJson();
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Streaming", "Vectors", "test-rsa-2048.pub.pem")));
        Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(policy), CloudFrontUrlSigner.FromUrlSafeBase64(query["Signature"]!), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
    }
}
