using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Uploads;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public const long MiB = 1024 * 1024;

    /// <summary>
    /// Largest chapter accepted, in bytes (default 10 GiB). At most what S3's 10,000 parts of the
    /// largest part size hold (625 GiB); above <see cref="MultipartThresholdBytes"/> it is a multipart upload.
    /// </summary>
    [Range(1, MultipartPlan.MaxParts * MultipartPlan.MaxPartSizeBytes)]
    public long MaxSizeBytes { get; set; } = 10L * 1024 * MiB;

    /// <summary>Above this size an upload is multipart (default 64 MiB): a dropped connection costs one part, not the whole file.
    /// At most 5 GiB, S3's largest single PUT; at least 5 MiB, its smallest part.</summary>
    [Range(MultipartPlan.MinMultipartBytes, 5L * 1024 * MiB)]
    public long MultipartThresholdBytes { get; set; } = 64 * MiB;

    /// <summary>The size of a multipart upload's parts (default 8 MiB, 8–64 MiB); larger for a file that would need more than 10,000.</summary>
    [Range(MultipartPlan.MinPartSizeBytes, MultipartPlan.MaxPartSizeBytes)]
    public long PartSizeBytes { get; set; } = 8 * MiB;

    /// <summary>
    /// How long a multipart upload may take from its start (default and most: a day, as the bucket's
    /// lifecycle rule "abort-incomplete-multipart-uploads" aborts what is still open after that).
    /// Each part URL is valid for <see cref="UrlLifetime"/>, never past this.
    /// </summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan MultipartLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a presigned upload URL stays valid. At most a day: the bucket expires
    /// objects still tagged pending after 3 days, well after their upload record is gone.</summary>
    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The file name extensions a chapter may have. Unset: the seed's .m4a and .mp4. An operator may
    /// add .m4b (Uploads__Extensions__2=.m4b): the same container, no transcoding; content checks are
    /// the same whatever the name. (Null by default: the binder would append to a default list.)
    /// </summary>
    [Mp4Extensions]
    public string[]? Extensions { get; set; }

    public IReadOnlyList<string> AcceptedExtensions => Extensions is { Length: > 0 } configured ? configured : UploadRules.DefaultExtensions;
}

/// <summary>Only names of the MP4 container (<see cref="UploadRules.Mp4Extensions"/>), lower case with the dot.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Mp4ExtensionsAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string[] extensions || extensions.All(UploadRules.Mp4Extensions.Contains);

    public override string FormatErrorMessage(string name) =>
        $"The field {name} may list only {string.Join(", ", UploadRules.Mp4Extensions.Order())}.";
}

/// <summary>Checks the attributes of <see cref="UploadOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class UploadOptionsValidator : IValidateOptions<UploadOptions>;
