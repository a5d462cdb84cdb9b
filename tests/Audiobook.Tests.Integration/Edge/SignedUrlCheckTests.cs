using System.Net;
using System.Text;
using System.Text.Json;
using Audiobook.LocalCloudFront.SignedUrls;
using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Edge;

/// <summary>
/// The local edge's signed-URL check (Audiobook.LocalCloudFront), which shares no code with the API's
/// signer: against the shared CloudFront vectors (computed with OpenSSL) and against signatures OpenSSL
/// makes here, and every way a URL must be refused — expired, not yet valid, tampered, signed by
/// another key, an unknown key id, another resource, another client address.
/// </summary>
public sealed class SignedUrlCheckTests
{
    private const string KeyId = "K2JCJMDEHXQW5F";

    private static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "Streaming", "Vectors", name);

    private static JsonElement Vector(int index) => JsonDocument.Parse(File.ReadAllText(VectorPath("vectors.json"))).RootElement.GetProperty("cases")[index];

    private static KeyGroup TrustedKeys() => new([(KeyId, File.ReadAllText(VectorPath("test-rsa-2048.pub.pem")))]);

    public static TheoryData<int> CannedVectors() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(CannedVectors))]
    public void A_canned_vector_is_allowed_until_it_expires(int index)
    {
        var vector = Vector(index);
        var expires = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("expires").GetInt64());
        using var keys = TrustedKeys();
        var request = Viewer(vector.GetProperty("signedUrl").GetString()!);

        var allowed = Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(request, keys, expires.AddSeconds(-1)));
        Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(request, keys, expires));

        // What goes on to the origin: the URL's own query strings, without the signing ones.
        var own = new Uri(vector.GetProperty("url").GetString()!).Query.TrimStart('?');
        Assert.Equal(own, string.Join('&', allowed.Query.Select(p => $"{p.Key}={p.Value}")));
    }

    [Fact]
    public void The_custom_vector_holds_only_in_its_window_for_its_resources_and_addresses()
    {
        var vector = Vector(3);
        var start = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("notBefore").GetInt64());
        var end = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("expires").GetInt64());
        var signed = vector.GetProperty("signedUrl").GetString()!;
        var inside = IPAddress.Parse("192.0.2.77");
        using var keys = TrustedKeys();

        Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signed, inside), keys, start));
        Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer(signed, inside), keys, start.AddSeconds(-1)));
        Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer(signed, inside), keys, end));
        Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer(signed, IPAddress.Parse("198.51.100.7")), keys, start));
        // The policy's wildcard covers another chapter of the same book, not another book.
        Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signed.Replace("/9b1c.m4a", "/7777.m4a", StringComparison.Ordinal), inside), keys, start));
        Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer(signed.Replace("/books/3f2a/", "/books/4f2a/", StringComparison.Ordinal), inside), keys, start));
    }

    [Theory]
    [InlineData("path", "/books/3f2a/chapters/9b1c.m4a", "/books/3f2a/chapters/9b1d.m4a")]
    [InlineData("expiry", "Expires=1767225600", "Expires=1767225601")]
    [InlineData("signature", "Signature=H6xo", "Signature=H6xp")]
    [InlineData("override", "?Expires", "?response-content-disposition=attachment&Expires")]
    public void A_tampered_url_is_refused(string part, string original, string tampered)
    {
        var signed = Vector(0).GetProperty("signedUrl").GetString()!;
        Assert.Contains(original, signed, StringComparison.Ordinal);
        using var keys = TrustedKeys();

        var verdict = SignedUrlCheck.Check(Viewer(signed.Replace(original, tampered, StringComparison.Ordinal)), keys, DateTimeOffset.FromUnixTimeSeconds(1767225000));

        Assert.True(verdict == Denied("AccessDenied"), $"a URL with its {part} changed was {verdict}");
    }

    [Fact]
    public void The_key_pair_id_must_be_present_and_one_of_the_key_group()
    {
        var signed = Vector(0).GetProperty("signedUrl").GetString()!;
        using var keys = TrustedKeys();
        var now = DateTimeOffset.FromUnixTimeSeconds(1767225000);

        Assert.Equal(Denied("InvalidKey"), SignedUrlCheck.Check(Viewer(signed.Replace(KeyId, "KUNKNOWN000000", StringComparison.Ordinal)), keys, now));
        Assert.Equal(Denied("MissingKey"), SignedUrlCheck.Check(Viewer(signed.Replace("&Key-Pair-Id=" + KeyId, "", StringComparison.Ordinal)), keys, now));
        Assert.Equal(Denied("MissingKey"), SignedUrlCheck.Check(Viewer("https://d111111abcdef8.cloudfront.net/books/3f2a/chapters/9b1c.m4a"), keys, now));
    }

    [Fact]
    public async Task During_a_rotation_both_slots_keys_verify_and_a_retired_key_is_unknown()
    {
        var signed = Vector(0).GetProperty("signedUrl").GetString()!;
        var next = Path.Combine(Path.GetTempPath(), $"slot-b-{Guid.NewGuid():N}.pem");
        try
        {
            await RunAsync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", next]);
            await RunAsync("openssl", ["pkey", "-in", next, "-pubout", "-out", next + ".pub"]);
            var url = "https://d111111abcdef8.cloudfront.net/books/3f2a/chapters/9b1c.m4a";
            var policy = $"{{\"Statement\":[{{\"Resource\":\"{url}\",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":1767225600}}}}}}]}}";
            var signedByB = $"{url}?Expires=1767225600&Signature={await OpenSslSignAsync(policy, next, "-sha1")}&Key-Pair-Id=KSLOTB00000001";
            var slotA = (KeyId, File.ReadAllText(VectorPath("test-rsa-2048.pub.pem")));
            var slotB = ("KSLOTB00000001", await File.ReadAllTextAsync(next + ".pub", TestContext.Current.CancellationToken));
            var now = DateTimeOffset.FromUnixTimeSeconds(1767225000);

            using (var both = new KeyGroup([slotA, slotB]))
            {
                Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signed), both, now));
                Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signedByB), both, now));
            }
            using var retired = new KeyGroup([slotB]);
            Assert.Equal(Denied("InvalidKey"), SignedUrlCheck.Check(Viewer(signed), retired, now));
            Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signedByB), retired, now));
        }
        finally
        {
            File.Delete(next);
            File.Delete(next + ".pub");
        }
    }

    [Fact]
    public async Task Signatures_openssl_makes_are_accepted_over_sha1_and_sha256_and_another_keys_are_not()
    {
        var url = "http://media.audiobook.localhost:5090/books/ab12/chapters/cd34.m4a";
        var policy = $"{{\"Statement\":[{{\"Resource\":\"{url}\",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":2000000000}}}}}}]}}";
        var now = DateTimeOffset.FromUnixTimeSeconds(1900000000);
        using var keys = TrustedKeys();

        foreach (var (digest, suffix) in new[] { ("-sha1", ""), ("-sha256", "&Hash-Algorithm=SHA256") })
        {
            var signature = await OpenSslSignAsync(policy, VectorPath("test-rsa-2048.pem"), digest);
            var signed = $"{url}?Expires=2000000000&Signature={signature}&Key-Pair-Id={KeyId}{suffix}";
            Assert.IsType<Verdict.Allowed>(SignedUrlCheck.Check(Viewer(signed), keys, now));
            // The same signature read with the other hash does not verify.
            var otherHash = suffix.Length == 0 ? signed + "&Hash-Algorithm=SHA256" : signed.Replace(suffix, "", StringComparison.Ordinal);
            Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer(otherHash), keys, now));
        }

        var stranger = Path.Combine(Path.GetTempPath(), $"stranger-{Guid.NewGuid():N}.pem");
        try
        {
            await RunAsync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", stranger]);
            var forged = await OpenSslSignAsync(policy, stranger, "-sha1");
            Assert.Equal(Denied("AccessDenied"), SignedUrlCheck.Check(Viewer($"{url}?Expires=2000000000&Signature={forged}&Key-Pair-Id={KeyId}"), keys, now));
        }
        finally
        {
            File.Delete(stranger);
        }
    }

    [Fact]
    public async Task An_ecdsa_key_group_member_verifies_sha256_signatures()
    {
        var key = Path.Combine(Path.GetTempPath(), $"ecdsa-{Guid.NewGuid():N}.pem");
        try
        {
            await RunAsync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
            await RunAsync("openssl", ["ec", "-in", key, "-pubout", "-out", key + ".pub"]);
            using var keys = new KeyGroup([("KECDSA00000001", await File.ReadAllTextAsync(key + ".pub", TestContext.Current.CancellationToken))]);
            var url = "https://d111111abcdef8.cloudfront.net/books/3f2a/chapters/9b1c.m4a";
            var policy = $"{{\"Statement\":[{{\"Resource\":\"https://d111111abcdef8.cloudfront.net/books/*\",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":2000000000}}}}}}]}}";
            var signature = await OpenSslSignAsync(policy, key, "-sha256");
            var encodedPolicy = UrlSafe(Encoding.UTF8.GetBytes(policy));

            var verdict = SignedUrlCheck.Check(Viewer($"{url}?Policy={encodedPolicy}&Signature={signature}&Key-Pair-Id=KECDSA00000001&Hash-Algorithm=SHA256"), keys, DateTimeOffset.FromUnixTimeSeconds(1900000000));

            Assert.IsType<Verdict.Allowed>(verdict);
        }
        finally
        {
            File.Delete(key);
            File.Delete(key + ".pub");
        }
    }

    [Fact]
    public void A_policy_that_is_not_base64_json_is_malformed()
    {
        var signed = Vector(3).GetProperty("signedUrl").GetString()!;
        using var keys = TrustedKeys();

        var verdict = SignedUrlCheck.Check(Viewer(signed.Replace("Policy=", "Policy=%%%", StringComparison.Ordinal), IPAddress.Parse("192.0.2.1")), keys, DateTimeOffset.FromUnixTimeSeconds(1767223000));

        Assert.Equal(Denied("MalformedPolicy"), verdict);
    }

    private static Verdict.Denied Denied(string code) => code switch
    {
        "MissingKey" => new(code, "Missing Key-Pair-Id query parameter or cookie value"),
        "InvalidKey" => new(code, "Unknown Key"),
        "MalformedPolicy" => new(code, "Malformed Policy"),
        _ => new(code, "Access denied"),
    };

    private static ViewerRequest Viewer(string signedUrl, IPAddress? client = null)
    {
        var at = signedUrl.IndexOf("://", StringComparison.Ordinal);
        var pathStart = signedUrl.IndexOf('/', at + 3);
        var queryStart = signedUrl.IndexOf('?', StringComparison.Ordinal);
        return new ViewerRequest(
            signedUrl[..at],
            signedUrl[(at + 3)..pathStart],
            queryStart < 0 ? signedUrl[pathStart..] : signedUrl[pathStart..queryStart],
            queryStart < 0 ? "" : signedUrl[queryStart..],
            client ?? IPAddress.Loopback);
    }

    private static async Task<string> OpenSslSignAsync(string policy, string keyFile, string digest)
    {
        var input = Path.GetTempFileName();
        var output = input + ".sig";
        try
        {
            await File.WriteAllTextAsync(input, policy, TestContext.Current.CancellationToken);
            await RunAsync("openssl", ["dgst", digest, "-sign", keyFile, "-out", output, input]);
            return UrlSafe(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    private static string UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('=', '_').Replace('/', '~');

    private static async Task<string> RunAsync(string program, string[] arguments)
    {
        var run = await ProcessRunner.RunAsync(program, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Output;
    }
}
