using System.Security.Cryptography;
using System.Text;
using Audiobook.Api.Accounts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Books;

/// <summary>
/// Opaque, tamper-evident page cursors: the last book id of a page plus an HMAC bound to its owner,
/// so a cursor cannot be forged, edited, or replayed by another user.
/// </summary>
public sealed class PageCursor(IOptions<JwtOptions> jwt)
{
    private const int MacLength = 16;
    private readonly byte[] key = HKDF.DeriveKey(HashAlgorithmName.SHA256, jwt.Value.SigningKeyBytes(), 32, info: "audiobook/page-cursor"u8.ToArray());

    public string Encode(string ownerId, string lastId)
    {
        var id = Encoding.ASCII.GetBytes(lastId);
        return WebEncoders.Base64UrlEncode([.. id, .. Mac(ownerId, id)]);
    }

    /// <summary>The last id of the previous page, or null when the cursor is not one we issued to this owner.</summary>
    public string? Decode(string ownerId, string cursor)
    {
        if (cursor.Length > 200)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(cursor);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length <= MacLength)
        {
            return null;
        }
        var id = bytes[..^MacLength];
        return CryptographicOperations.FixedTimeEquals(bytes[^MacLength..], Mac(ownerId, id)) ? Encoding.ASCII.GetString(id) : null;
    }

    private byte[] Mac(string ownerId, byte[] id) =>
        HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes(ownerId), 0, .. id])[..MacLength];
}
