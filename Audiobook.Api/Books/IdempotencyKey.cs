using System.Security.Cryptography;
using System.Text;

namespace Audiobook.Api.Books;

/// <summary>
/// The optional <c>Idempotency-Key</c> request header of a create: a client that retries (it never
/// saw the answer) sends the same key, and gets the book the first request made instead of a second
/// one. Remembered for a day per account, with a fingerprint of the request it was first used for.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>Visible ASCII, 1–100 characters (a UUID is the usual choice).</summary>
    public static bool IsValid(string value) => value.Length is >= 1 and <= 100 && value.All(c => c is > ' ' and <= '~');

    /// <summary>What the request asked for, so the same key with another request is recognised as a mistake.</summary>
    public static string Fingerprint(params string?[] fields) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', fields.Select(f => f ?? "\u0000")))));
}
