using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

/// <summary>The audio bucket (an output of aws/data.yaml) and how to address it.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required(ErrorMessage = "Storage:BucketName is required (the AudioBucketName output of aws/data.yaml).")]
    [RegularExpression("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ErrorMessage = "Storage:BucketName is not a valid S3 bucket name.")]
    public string BucketName { get; set; } = "";

    /// <summary>Path-style addressing (http://host/bucket/key), needed by endpoints without per-bucket DNS.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// How long one S3 or DynamoDB call may take before it is retried or given up (at most 2 retries):
    /// an unreachable store becomes a quick 503, well inside API Gateway's 29 s, never a hang.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long S3 may take to join a multipart upload's parts into one object (one call, not retried:
    /// the client completes again). S3 may take seconds for a large file; the default of 20 s stays
    /// inside API Gateway's 29 s with the checks that follow.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:00:28")]
    public TimeSpan AssemblyTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public const int MaxErrorRetry = 2;
}

/// <summary>Checks the attributes of <see cref="StorageOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;

/// <summary>The DynamoDB tables (outputs of aws/data.yaml).</summary>
public sealed class TableOptions
{
    public const string Section = "Tables";

    [Required(ErrorMessage = "Tables:Users is required (the UsersTableName output of aws/data.yaml).")]
    public string Users { get; set; } = "";

    [Required(ErrorMessage = "Tables:Books is required (the BooksTableName output of aws/data.yaml).")]
    public string Books { get; set; } = "";

    [Required(ErrorMessage = "Tables:AudioChapters is required (the AudioChaptersTableName output of aws/data.yaml).")]
    public string AudioChapters { get; set; } = "";

    [Required(ErrorMessage = "Tables:Progress is required (the ProgressTableName output of aws/data.yaml).")]
    public string Progress { get; set; } = "";
}

/// <summary>Checks the attributes of <see cref="TableOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class TableOptionsValidator : IValidateOptions<TableOptions>;
