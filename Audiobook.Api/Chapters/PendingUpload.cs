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
    DateTimeOffset ExpiresAt);
