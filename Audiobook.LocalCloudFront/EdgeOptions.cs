using System.ComponentModel.DataAnnotations;

namespace Audiobook.LocalCloudFront;

/// <summary>
/// The distribution the edge stands in for, as the AppHost resolves it from aws/service.yaml: its
/// trusted key group, the query strings its cache policy forwards to the origin, its response
/// headers policy, and the bucket behind its Origin Access Control.
/// </summary>
public sealed class EdgeOptions
{
    public const string Section = "CloudFront";

    /// <summary>How viewers reach the edge: http locally (no certificate), where CloudFront is https-only.</summary>
    [RegularExpression("^https?$")]
    public string ViewerScheme { get; set; } = "http";

    [Required, MinLength(1)]
    public List<TrustedKey> KeyGroup { get; set; } = [];

    /// <summary>The origin: the data stack's bucket (the emulator's S3 endpoint comes from AWS_ENDPOINT_URL).</summary>
    [Required]
    public string OriginBucket { get; set; } = "";

    /// <summary>The viewer's query strings the cache policy forwards to the origin (all others are dropped).</summary>
    public List<string> ForwardedQueryStrings { get; set; } = [];

    /// <summary>The response headers policy's CORS configuration; absent when the template creates no such policy.</summary>
    public CorsPolicy? Cors { get; set; }

    /// <summary>The response headers policy's Strict-Transport-Security value, if any.</summary>
    public string? StrictTransportSecurity { get; set; }

    /// <summary>Whether the response headers policy sets X-Content-Type-Options: nosniff.</summary>
    public bool ContentTypeOptions { get; set; }
}

public sealed class TrustedKey
{
    [Required]
    public string Id { get; set; } = "";

    [Required]
    public string PublicKey { get; set; } = "";
}

public sealed class CorsPolicy
{
    public List<string> AllowedOrigins { get; set; } = [];

    public List<string> AllowedMethods { get; set; } = [];

    public List<string> AllowedHeaders { get; set; } = [];

    public List<string> ExposedHeaders { get; set; } = [];

    public int MaxAgeSeconds { get; set; }

    public bool AllowCredentials { get; set; }
}
