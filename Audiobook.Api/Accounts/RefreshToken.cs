using System.Security.Cryptography;
using System.Text;
using Audiobook.Api.Http;

namespace Audiobook.Api.Accounts;

/// <summary>
/// An opaque refresh token: <c>&lt;sessionId&gt;.&lt;secret&gt;</c>. The session id names the token family
/// (one sign-in on one device); the secret is 32 random bytes and is only ever stored as a SHA-256 hash.
/// </summary>
public readonly record struct RefreshToken(string SessionId, string Secret)
{
    public static RefreshToken New(string sessionId) =>
        new(sessionId, Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static bool TryParse(string? value, out RefreshToken token)
    {
        token = default;
        if (value is not { Length: > 33 and < 128 } || value[32] != '.')
        {
            return false;
        }
        var sessionId = value[..32];
        var secret = value[33..];
        if (!Ids.IsValid(sessionId) || secret.Length != 43 || !secret.All(IsBase64UrlChar))
        {
            return false;
        }
        token = new RefreshToken(sessionId, secret);
        return true;
    }

    /// <summary>What the store keeps: the secret's SHA-256, so a read of the table cannot mint tokens.</summary>
    public string Hash => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Secret)));

    public override string ToString() => SessionId + "." + Secret;

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
