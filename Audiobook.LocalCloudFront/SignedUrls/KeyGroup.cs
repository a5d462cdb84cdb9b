using System.Security.Cryptography;

namespace Audiobook.LocalCloudFront.SignedUrls;

/// <summary>
/// The distribution's trusted key group: the public keys (by id) whose signatures it accepts. RSA
/// keys verify PKCS#1 v1.5 signatures over SHA-1, or SHA-256 when the URL says Hash-Algorithm=SHA256;
/// ECDSA P-256 keys verify SHA-256 signatures.
/// </summary>
public sealed class KeyGroup : IDisposable
{
    private readonly Dictionary<string, AsymmetricAlgorithm> keys = new(StringComparer.Ordinal);

    public KeyGroup(IEnumerable<(string Id, string PublicKeyPem)> publicKeys)
    {
        foreach (var (id, pem) in publicKeys)
        {
            keys[id] = Import(pem);
        }
    }

    public bool Knows(string keyPairId) => keys.ContainsKey(keyPairId);

    public bool Verifies(string keyPairId, byte[] policy, byte[] signature, HashAlgorithmName hash) => keys[keyPairId] switch
    {
        RSA rsa => rsa.VerifyData(policy, signature, hash, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => hash == HashAlgorithmName.SHA256 && ecdsa.VerifyData(policy, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
        _ => false,
    };

    public void Dispose()
    {
        foreach (var key in keys.Values)
        {
            key.Dispose();
        }
    }

    private static AsymmetricAlgorithm Import(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa;
    }
}
