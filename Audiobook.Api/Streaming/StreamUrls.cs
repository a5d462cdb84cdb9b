using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

public sealed record SignedUrl(string Url, DateTimeOffset ExpiresAt);

/// <summary>What the signed URL should serve: the object, and for downloads the file name to save it as.</summary>
public sealed record StreamTarget(string ObjectKey, string ContentType, string? DownloadFileName);

/// <summary>
/// Produces the URL a player fetches audio from, with HTTP Range straight from storage. Local and
/// production differ only in which implementation configuration selects (S3 presigned or CloudFront signed).
/// </summary>
public interface IStreamUrlSigner
{
    /// <summary>A short name for metrics and logs ("s3", "cloudfront").</summary>
    string Name { get; }

    SignedUrl Sign(StreamTarget target);
}

public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>How long a stream or download URL stays valid.</summary>
    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A chapter's URL stays identical within one bucket of time: browsers and CloudFront reuse it, and
    /// it is signed once per bucket (see <see cref="TimeBucketedUrls"/>).
    /// </summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan TimeBucket { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an instance remembers which object a user's chapter plays (see <see cref="StreamLookups"/>).</summary>
    [TimeSpanRange("00:00:00", "00:05:00")]
    public TimeSpan LookupCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the attributes of <see cref="StreamingOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class StreamingOptionsValidator : IValidateOptions<StreamingOptions>;
