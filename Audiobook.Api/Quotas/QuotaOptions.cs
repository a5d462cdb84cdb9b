using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Quotas;

/// <summary>What one account may hold (section "Quotas"): enough for a large library, not enough for one user to cost everyone.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";

    /// <summary>Books per account (default 5,000).</summary>
    [Range(1, 10_000_000)]
    public int MaxBooks { get; set; } = 5_000;

    /// <summary>Chapter audio per account, in bytes, stored plus declared by open uploads (default 50 GiB). Covers are not counted.</summary>
    [Range(1, 1L << 50)]
    public long MaxStoredBytes { get; set; } = 50L * 1024 * 1024 * 1024;

    /// <summary>Uploads created and neither completed, aborted nor expired, per account (default 20).</summary>
    [Range(1, 10_000)]
    public int MaxOpenUploads { get; set; } = 20;
}

/// <summary>Checks the attributes of <see cref="QuotaOptions"/> with code generated at build time (Native AOT too).</summary>
[OptionsValidator]
public sealed partial class QuotaOptionsValidator : IValidateOptions<QuotaOptions>;
