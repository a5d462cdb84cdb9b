using System.Security.Cryptography;
using System.Text;

namespace Audiobook.Api.Streaming;

public enum CloudFrontHashAlgorithm
{
    Sha1,
    Sha256,
}

/// <summary>
/// Signs CloudFront URLs (AWSSDK.CloudFront is not available to us): the policy is signed with the
/// key group's private key — RSA PKCS#1 v1.5 over SHA-1 (CloudFront's default) or SHA-256, or
/// ECDSA P-256 — and travels as CloudFront's URL-safe base64 (+ → -, = → _, / → ~).
/// </summary>
public sealed class CloudFrontUrlSigner : IDisposable
{
    private readonly string keyPairId;
    private readonly RSA? rsa;
    private readonly ECDsa? ecdsa;
    private readonly CloudFrontHashAlgorithm hash;

    public CloudFrontUrlSigner(string keyPairId, string privateKeyPem, CloudFrontHashAlgorithm hash = CloudFrontHashAlgorithm.Sha1)
    {
        this.keyPairId = keyPairId;
        if (privateKeyPem.Contains("EC PRIVATE KEY", StringComparison.Ordinal) || IsEcPkcs8(privateKeyPem))
        {
            ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(privateKeyPem);
            // CloudFront verifies ECDSA signatures over SHA-256.
            this.hash = CloudFrontHashAlgorithm.Sha256;
        }
        else
        {
            rsa = RSA.Create();
            rsa.ImportFromPem(privateKeyPem);
            this.hash = hash;
        }
    }

    /// <summary>Signs <paramref name="url"/> with a canned policy when the policy allows it, else a custom one.</summary>
    public string Sign(string url, CloudFrontPolicy policy)
    {
        var json = policy.ToJson();
        var signature = UrlSafeBase64(SignBytes(Encoding.UTF8.GetBytes(json)));
        var query = policy.IsCanned && policy.Resource == url
            ? $"Expires={CloudFrontPolicy.Epoch(policy.Expires)}&Signature={signature}&Key-Pair-Id={keyPairId}"
            : $"Policy={UrlSafeBase64(Encoding.UTF8.GetBytes(json))}&Signature={signature}&Key-Pair-Id={keyPairId}";
        if (hash == CloudFrontHashAlgorithm.Sha256)
        {
            query += "&Hash-Algorithm=SHA256";
        }
        return url + (url.Contains('?') ? '&' : '?') + query;
    }

    public string SignCanned(string url, DateTimeOffset expires) => Sign(url, new CloudFrontPolicy(url, expires));

    public static string UrlSafeBase64(byte[] bytes) =>
        Convert.ToBase64String(bytes).Replace('+', '-').Replace('=', '_').Replace('/', '~');

    public static byte[] FromUrlSafeBase64(string value) =>
        Convert.FromBase64String(value.Replace('-', '+').Replace('_', '=').Replace('~', '/'));

    public void Dispose()
    {
        rsa?.Dispose();
        ecdsa?.Dispose();
    }

    private byte[] SignBytes(byte[] data)
    {
        var algorithm = hash == CloudFrontHashAlgorithm.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        return rsa is not null
            ? rsa.SignData(data, algorithm, RSASignaturePadding.Pkcs1)
            : ecdsa!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool IsEcPkcs8(string pem)
    {
        try
        {
            using var probe = ECDsa.Create();
            probe.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
