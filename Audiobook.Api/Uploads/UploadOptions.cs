using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Uploads;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest chapter accepted, in bytes (default 2 GiB; a single S3 PUT allows up to 5 GiB).</summary>
    [Range(1, 5L * 1024 * 1024 * 1024)]
    public long MaxSizeBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How long a presigned upload URL stays valid. At most a day: the bucket expires
    /// objects still tagged pending after 3 days, well after their upload record is gone.</summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>Checks the attributes of <see cref="UploadOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class UploadOptionsValidator : IValidateOptions<UploadOptions>;
