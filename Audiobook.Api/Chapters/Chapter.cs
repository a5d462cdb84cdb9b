using Audiobook.Api.Media;

namespace Audiobook.Api.Chapters;

/// <summary>
/// A chapter: one audio object of a book, ready to play from the moment it is completed. A single-file
/// audiobook is one chapter whose <see cref="Markers"/> are the book's table of contents.
/// </summary>
public sealed record Chapter(
    string BookId,
    string Id,
    int Number,
    string Title,
    string FileName,
    string ContentType,
    long SizeBytes,
    double? DurationSeconds,
    string ObjectKey,
    DateTimeOffset CreatedAt)
{
    public const string ReadyStatus = "ready";

    /// <summary>The file's chapter markers, sorted, contiguous and within its duration; empty when it has none.</summary>
    public IReadOnlyList<ChapterMarker> Markers { get; init; } = [];

    /// <summary>Which of the file's marker lists they came from (<see cref="MarkerSources"/>); null without markers.</summary>
    public string? MarkerSource { get; init; }

    public Mp4Tags Tags { get; init; } = Mp4Tags.None;

    public ChapterResponse ToResponse() =>
        new(Id, BookId, Number, Title, FileName, ContentType, SizeBytes, DurationSeconds, ReadyStatus, CreatedAt, Markers, MarkerSource, Tags);
}

public sealed record ChapterResponse(
    string Id,
    string BookId,
    int Number,
    string Title,
    string FileName,
    string ContentType,
    long SizeBytes,
    double? DurationSeconds,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ChapterMarker> Markers,
    string? MarkerSource,
    Mp4Tags Tags);

/// <summary>A page of a book's chapters in number order; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ChapterList(IReadOnlyList<ChapterResponse> Items, string? NextCursor);

public sealed record UpdateChapterRequest(string? Title, int? Number);

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
