using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Audiobook.Api.Streaming;

namespace Audiobook.Tests.Streaming;

/// <summary>
/// The signer against the independently computed vectors in Streaming/Vectors (copied from
/// shared/vectors/cloudfront; the key is a throwaway made for these vectors only).
/// </summary>
public sealed class CloudFrontUrlSignerTests
{
    private static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "Streaming", "Vectors", name);

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, Vectors().GetArrayLength())];

    private static JsonElement Vectors() => JsonDocument.Parse(File.ReadAllText(VectorPath("vectors.json"))).RootElement.GetProperty("cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_the_vector(int index)
    {
        var vector = Vectors()[index];
        var hash = vector.GetProperty("hashAlgorithm").GetString() == "SHA256" ? CloudFrontHashAlgorithm.Sha256 : CloudFrontHashAlgorithm.Sha1;
        using var signer = new CloudFrontUrlSigner(vector.GetProperty("keyPairId").GetString()!, File.ReadAllText(VectorPath("test-rsa-2048.pem")), hash);
        var url = vector.GetProperty("url").GetString()!;
        var expires = DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("expires").GetInt64());

        if (vector.GetProperty("kind").GetString() == "canned")
        {
            Assert.Equal(vector.GetProperty("signedUrl").GetString(), signer.SignCanned(url, expires));
            return;
        }

        var policy = new CloudFrontPolicy(
            vector.GetProperty("resource").GetString()!,
            expires,
            DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("notBefore").GetInt64()),
            vector.GetProperty("sourceIp").GetString());
        var signed = signer.Sign(url, policy);

        // Any JSON with the same meaning is valid; ours matches the vector's bytes, and verifies.
        var query = HttpUtility.ParseQueryString(new Uri(signed).Query);
        var policyBytes = CloudFrontUrlSigner.FromUrlSafeBase64(query["Policy"]!);
        Assert.Equal(vector.GetProperty("policy").GetString(), Encoding.UTF8.GetString(policyBytes));
        Assert.True(Verify(policyBytes, query["Signature"]!, HashAlgorithmName.SHA1));
        Assert.Equal(vector.GetProperty("signedUrl").GetString(), signed);
    }

    [Theory]
    [InlineData(CloudFrontHashAlgorithm.Sha1)]
    [InlineData(CloudFrontHashAlgorithm.Sha256)]
    public void A_custom_policy_with_a_wildcard_verifies_with_the_public_key(CloudFrontHashAlgorithm hash)
    {
        using var signer = new CloudFrontUrlSigner("K2JCJMDEHXQW5F", File.ReadAllText(VectorPath("test-rsa-2048.pem")), hash);
        var policy = new CloudFrontPolicy("https://cdn.example.com/books/abc/*", DateTimeOffset.UnixEpoch.AddYears(60), SourceIp: "203.0.113.7/32");

        var signed = signer.Sign("https://cdn.example.com/books/abc/chapters/1.m4a", policy);

        var query = HttpUtility.ParseQueryString(new Uri(signed).Query);
        Assert.Equal(hash == CloudFrontHashAlgorithm.Sha256 ? "SHA256" : null, query["Hash-Algorithm"]);
        Assert.True(Verify(CloudFrontUrlSigner.FromUrlSafeBase64(query["Policy"]!), query["Signature"]!,
            hash == CloudFrontHashAlgorithm.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1));
    }

    [Fact]
    public void Ecdsa_p256_keys_sign_verifiable_urls()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new CloudFrontUrlSigner("KECDSA", key.ExportPkcs8PrivateKeyPem());
        var url = "https://cdn.example.com/books/abc/chapters/1.m4a";
        var expires = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var signed = signer.SignCanned(url, expires);

        var query = HttpUtility.ParseQueryString(new Uri(signed).Query);
        var policy = Encoding.UTF8.GetBytes(new CloudFrontPolicy(url, expires).ToJson());
        Assert.True(key.VerifyData(policy, CloudFrontUrlSigner.FromUrlSafeBase64(query["Signature"]!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal("SHA256", query["Hash-Algorithm"]);
    }

    [Fact]
    public void Url_safe_base64_uses_cloudfronts_alphabet()
    {
        var encoded = CloudFrontUrlSigner.UrlSafeBase64([0xfb, 0xff, 0xfe, 0x3e]);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        Assert.DoesNotContain('=', encoded);
        Assert.Equal(new byte[] { 0xfb, 0xff, 0xfe, 0x3e }, CloudFrontUrlSigner.FromUrlSafeBase64(encoded));
    }

    private static bool Verify(byte[] data, string signature, HashAlgorithmName hash)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(VectorPath("test-rsa-2048.pub.pem")));
        return rsa.VerifyData(data, CloudFrontUrlSigner.FromUrlSafeBase64(signature), hash, RSASignaturePadding.Pkcs1);
    }
}
