using Audiobook.Api.Uploads;

namespace Audiobook.Api.Chapters;

/// <summary>An upload the client was given a URL for and has not completed yet. Its id becomes the chapter's id.</summary>
public sealed record PendingUpload(
    string BookId,
    string Id,
    string FileName,
    string ContentType,
    long SizeBytes,
    string? Title,
    string ObjectKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Set when the file is sent in parts: S3's id of the multipart upload and how the file is cut.</summary>
    public MultipartUpload? Multipart { get; init; }

    /// <summary>Whether its declared size is reserved in its owner's usage (uploads created before quotas are not).</summary>
    public bool Reserved { get; init; }
}

/// <summary>S3's multipart upload behind one of ours.</summary>
public sealed record MultipartUpload(string StorageUploadId, MultipartPlan Plan);
