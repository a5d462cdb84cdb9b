namespace Audiobook.Api.Uploads;

/// <summary>
/// How a file is cut into parts: every part has <see cref="PartSizeBytes"/> bytes but the last, which
/// has the rest. The plan is all the API keeps; what storage holds is checked against it at completion.
/// </summary>
public sealed record MultipartPlan(long SizeBytes, long PartSizeBytes)
{
    /// <summary>S3's most parts in one upload.</summary>
    public const int MaxParts = 10_000;

    /// <summary>S3's smallest part but the last (5 MiB): the smallest file the client may ask to send in parts.</summary>
    public const long MinMultipartBytes = 5L * 1024 * 1024;

    public const long MinPartSizeBytes = 8L * 1024 * 1024;

    public const long MaxPartSizeBytes = 64L * 1024 * 1024;

    /// <summary>The plan for a file: parts of the configured size, or larger (in whole MiB) when that would take more than 10,000.</summary>
    public static MultipartPlan For(long sizeBytes, long configuredPartSize)
    {
        const long mib = 1024 * 1024;
        var needed = (sizeBytes + MaxParts - 1) / MaxParts;
        var partSize = Math.Max(configuredPartSize, (needed + mib - 1) / mib * mib);
        return new MultipartPlan(sizeBytes, partSize);
    }

    public int PartCount => (int)((SizeBytes + PartSizeBytes - 1) / PartSizeBytes);

    /// <summary>The size part <paramref name="partNumber"/> (1-based) must have.</summary>
    public long SizeOf(int partNumber) =>
        partNumber < PartCount ? PartSizeBytes : SizeBytes - ((long)(PartCount - 1) * PartSizeBytes);

    public bool Has(int partNumber) => partNumber >= 1 && partNumber <= PartCount;

    /// <summary>What keeps the stored parts from being the file: parts not stored, and stored parts of another size or number.</summary>
    public (IReadOnlyList<int> Missing, IReadOnlyList<int> WrongSize) Check(IReadOnlyCollection<StoredPart> stored)
    {
        var byNumber = stored.ToDictionary(p => p.PartNumber);
        var missing = Enumerable.Range(1, PartCount).Where(n => !byNumber.ContainsKey(n)).ToList();
        var wrong = stored.Where(p => !Has(p.PartNumber) || p.SizeBytes != SizeOf(p.PartNumber)).Select(p => p.PartNumber).Order().ToList();
        return (missing, wrong);
    }
}

/// <summary>A part as storage holds it.</summary>
public sealed record StoredPart(int PartNumber, long SizeBytes, string ETag);
