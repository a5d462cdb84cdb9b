using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>How long stream and download URLs live, and how they are reused (section "Streaming").</summary>
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
