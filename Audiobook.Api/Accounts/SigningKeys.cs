using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Audiobook.Api.Accounts;

/// <summary>
/// The JWT keys of <see cref="JwtOptions"/> with their key ids. A key id is derived from the key
/// (a hash prefix), so a rotation needs no extra setting and no id can point at the wrong key.
/// </summary>
public static class SigningKeys
{
    public static SymmetricSecurityKey Signing(JwtOptions options) => Create(options.SigningKey);

    /// <summary>Every key a token may be signed with: the current, the staged next and the previous one.</summary>
    public static IReadOnlyList<SecurityKey> Verifying(JwtOptions options) =>
        new[] { options.SigningKey, options.NextSigningKey, options.PreviousSigningKey }
            .Where(key => !string.IsNullOrEmpty(key))
            .Select(key => (SecurityKey)Create(key!))
            .ToList();

    public static string KeyId(byte[] key) =>
        Base64UrlEncoder.Encode(SHA256.HashData(key).AsSpan(0, 9).ToArray());

    private static SymmetricSecurityKey Create(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return new SymmetricSecurityKey(bytes) { KeyId = KeyId(bytes) };
    }
}
