using Audiobook.Api.Chapters;
using Audiobook.Api.Http;

namespace Audiobook.Api.Uploads;

public sealed record CreateUploadRequest(string? FileName, string? ContentType, long? SizeBytes, string? Title, bool? Multipart = null)
{
    /// <summary>The chapter's title as stored (null: from the file) and its file name, normalised; what is wrong goes to <paramref name="errors"/>.</summary>
    public (string? Title, NormalizedFileName? FileName) Validate(FieldErrors errors)
    {
        var title = errors.Field("title", Title, Chapter.MaxTitle);
        var fileName = FileNames.Normalize(FileName);
        if (fileName is null || FileName!.Length > 4096)
        {
            errors.Add("fileName", "fileName must be a file name such as chapter-01.m4a.");
        }
        if (SizeBytes is null or <= 0)
        {
            errors.Add("sizeBytes", "sizeBytes must be the file's size in bytes, more than 0.");
        }
        else if (Multipart == true && SizeBytes < MultipartPlan.MinMultipartBytes)
        {
            errors.Add("multipart", $"A file sent in parts must have at least {MultipartPlan.MinMultipartBytes} bytes (S3's smallest part); send this one with a single PUT.");
        }
        return (title, fileName);
    }
}

public sealed record UploadTicket(string UploadId, string Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

/// <summary>The answer for a file sent in parts: ask for part URLs (<see cref="PartUrlsRequest"/>), PUT each part, then complete.</summary>
public sealed record MultipartUploadTicket(string UploadId, string Method, long PartSizeBytes, int PartCount, DateTimeOffset ExpiresAt);

public sealed record PartUrlsRequest(int[]? PartNumbers)
{
    /// <summary>At most this many URLs per call.</summary>
    public const int MaxPartNumbers = 100;

    /// <summary>The part numbers, in order and each once; what is wrong goes to <paramref name="errors"/>.</summary>
    public IReadOnlyList<int> Validate(MultipartPlan plan, FieldErrors errors)
    {
        if (PartNumbers is not { Length: > 0 and <= MaxPartNumbers })
        {
            errors.Add("partNumbers", $"partNumbers must list 1 to {MaxPartNumbers} part numbers.");
            return [];
        }
        var outside = PartNumbers.Where(n => !plan.Has(n)).Distinct().Order().Take(10).ToList();
        if (outside.Count > 0)
        {
            errors.Add("partNumbers", $"This upload has parts 1 to {plan.PartCount}; not {string.Join(", ", outside)}.");
        }
        return [.. PartNumbers.Distinct().Order()];
    }
}

/// <summary>A URL to PUT one part to, and the headers to send with it (the part's size is signed: send exactly its bytes).</summary>
public sealed record PartUrl(int PartNumber, string Url, IReadOnlyDictionary<string, string> Headers, long SizeBytes);

public sealed record PartUrls(IReadOnlyList<PartUrl> Parts, DateTimeOffset ExpiresAt);

public sealed record StoredPartResponse(int PartNumber, long SizeBytes, string Etag);

/// <summary>What storage holds of a multipart upload: a client that lost its state sends the rest only.</summary>
public sealed record StoredParts(IReadOnlyList<StoredPartResponse> Parts, long PartSizeBytes, int PartCount);
