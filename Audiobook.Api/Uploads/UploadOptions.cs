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
