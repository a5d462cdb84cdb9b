using Audiobook.Api.Http;
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
    /// <summary>The longest title a chapter may have, in characters.</summary>
    public const int MaxTitle = 300;

    /// <summary>The highest number a chapter may have.</summary>
    public const int MaxNumber = 100_000;

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

public sealed record UpdateChapterRequest(string? Title, int? Number)
{
    /// <summary>The new title as stored (null: keep it); a title cannot be emptied, a number is 1 to <see cref="Chapter.MaxNumber"/>.</summary>
    public string? Validate(FieldErrors errors)
    {
        var title = errors.Field("title", Title, Chapter.MaxTitle);
        if (Title is not null && title is null)
        {
            errors.Add("title", "title cannot be empty.");
        }
        if (Number is < 1 or > Chapter.MaxNumber)
        {
            errors.Add("number", $"number must be between 1 and {Chapter.MaxNumber}.");
        }
        return title;
    }
}
