using System.ComponentModel.DataAnnotations;

namespace Audiobook.Api.Accounts;

public sealed class JwtOptions
{
    public const string Section = "Jwt";

    [Required]
    public string Issuer { get; set; } = "audiobook";

    [Required]
    public string Audience { get; set; } = "audiobook-api";

    /// <summary>Base64 of at least 32 random bytes. A secret: it comes from SSM (…/Jwt/SigningKey), never from a file.</summary>
    public string SigningKey { get; set; } = "";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);

    public static bool HasUsableKey(JwtOptions options)
    {
        try
        {
            return options.SigningKeyBytes().Length >= 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
