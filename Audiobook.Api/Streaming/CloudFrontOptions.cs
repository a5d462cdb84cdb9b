using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>Where audio is served in production. When <see cref="Domain"/> is set, stream URLs are CloudFront-signed.</summary>
public sealed class CloudFrontOptions
{
    public const string Section = "CloudFront";

    /// <summary>The distribution's domain, e.g. d111111abcdef8.cloudfront.net or media.example.com.</summary>
    [RegularExpression(@"^[a-z0-9.-]+(:\d+)?$", ErrorMessage = "CloudFront:Domain must be a host name such as d111111abcdef8.cloudfront.net.")]
    public string? Domain { get; set; }

    /// <summary>
    /// How viewers reach the distribution: https in AWS (the template's viewer protocol policy is
    /// https-only); http for the production-like profile's local edge, which has no certificate.
    /// </summary>
    [RegularExpression("^https?$", ErrorMessage = "CloudFront:Scheme must be https (or http for a local edge).")]
    public string Scheme { get; set; } = "https";

    public string BaseUrl => $"{Scheme}://{Domain}";

    /// <summary>The id CloudFront gave the public key (a stack output; not a secret).</summary>
    [Required(ErrorMessage = "CloudFront:KeyPairId is required when CloudFront:Domain is set.")]
    public string KeyPairId { get; set; } = "";

    /// <summary>
    /// Which of the two key slots (A or B) signs: keys rotate by filling the idle slot, switching,
    /// then emptying the old one, so URLs already handed out keep working (docs/url-signing.md).
    /// </summary>
    [Required(ErrorMessage = "CloudFront:KeySlot (A or B) is required when CloudFront:Domain is set.")]
    [RegularExpression("^[AB]$", ErrorMessage = "CloudFront:KeySlot must be A or B.")]
    public string KeySlot { get; set; } = "";

    /// <summary>The two key slots (see <see cref="KeySlot"/>).</summary>
    public static IReadOnlyList<string> KeySlots { get; } = ["A", "B"];

    /// <summary>The private keys (PEM) by slot. Secrets: they come from SSM (…/CloudFront/Keys/A/PrivateKey).</summary>
    public Dictionary<string, CloudFrontKey> Keys { get; set; } = [];

    public string ActivePrivateKey => Keys.TryGetValue(KeySlot, out var key) ? key.PrivateKey : "";

    public CloudFrontHashAlgorithm HashAlgorithm { get; set; } = CloudFrontHashAlgorithm.Sha1;

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:{nameof(Domain)}"]);

    public static bool HasActiveKey(CloudFrontOptions options) =>
        options.ActivePrivateKey.Contains("PRIVATE KEY", StringComparison.Ordinal);
}

/// <summary>Checks the attributes of <see cref="CloudFrontOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class CloudFrontOptionsValidator : IValidateOptions<CloudFrontOptions>;

public sealed class CloudFrontKey
{
    public string PrivateKey { get; set; } = "";
}
