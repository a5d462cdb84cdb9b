using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

public sealed class JwtOptions
{
    public const string Section = "Jwt";

    [Required]
    public string Issuer { get; set; } = "audiobook";

    [Required]
    public string Audience { get; set; } = "audiobook-api";

    /// <summary>Base64 of at least 32 random bytes. A secret: it comes from SSM (…/Jwt/SigningKey), never from a file. It signs new tokens.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Optional keys that only verify: the one about to sign (staged on every instance before it does)
    /// and the one that signed before (until its last token has expired). Each token names its key
    /// (<c>kid</c>), so rotating the key signs nobody out. See aws/rotate-keys.sh --jwt.
    /// </summary>
    public string? NextSigningKey { get; set; }

    public string? PreviousSigningKey { get; set; }

    /// <summary>Short, because a refresh token renews it; a sign-out ends it within Accounts:Sessions:RevocationCheckInterval.</summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);

    public static bool HasUsableKey(JwtOptions options) =>
        IsUsable(options.SigningKey)
        && (string.IsNullOrEmpty(options.NextSigningKey) || IsUsable(options.NextSigningKey))
        && (string.IsNullOrEmpty(options.PreviousSigningKey) || IsUsable(options.PreviousSigningKey));

    private static bool IsUsable(string key)
    {
        try
        {
            return Convert.FromBase64String(key).Length >= 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Checks the attributes of <see cref="JwtOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class JwtOptionsValidator : IValidateOptions<JwtOptions>;
