using Audiobook.Api.Http;
namespace Audiobook.Api.Books;

/// <summary>A book of one owner. <see cref="Version"/> is its ETag; <see cref="NextChapterNumber"/> serialises chapter numbering.</summary>
public sealed record Book(
    string OwnerId,
    string Id,
    string Title,
    string Author,
    string? Narrator,
    string? Description,
    string? Language,
    int ChapterCount,
    double TotalDurationSeconds,
    int NextChapterNumber,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string ETag => $"\"{Version}\"";

    /// <summary>The book's cover picture in the bucket, when it has one (uploaded, or copied from a file's own).</summary>
    public BookCover? Cover { get; init; }

    /// <summary>The bytes of its chapters' audio (what its deletion gives back to the owner's quota).</summary>
    public long SizeBytes { get; init; }

    public BookResponse ToResponse() =>
        new(Id, Title, Author, Narrator, Description, Language, ChapterCount, Math.Round(TotalDurationSeconds, 3), CreatedAt, UpdatedAt, Cover is not null);
}

/// <summary>Where a book's cover is stored, and what it is (image/jpeg or image/png, known by its bytes).</summary>
public sealed record BookCover(string ObjectKey, string ContentType);

public sealed record BookResponse(
    string Id,
    string Title,
    string Author,
    string? Narrator,
    string? Description,
    string? Language,
    int ChapterCount,
    double TotalDurationSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool HasCover);

public sealed record BookPage(IReadOnlyList<BookResponse> Items, string? NextCursor);

public sealed record CreateBookRequest(string? Title, string? Author, string? Narrator, string? Description, string? Language)
{
    /// <summary>The fields as stored (title and author required); what is wrong goes to <paramref name="errors"/>.</summary>
    public (string? Title, string? Author, string? Narrator, string? Description, string? Language) Validate(FieldErrors errors) =>
        BookFields.Validate(errors, Title, Author, Narrator, Description, Language, required: true);
}

/// <summary>Absent (null) fields stay as they are; an empty string clears an optional field.</summary>
public sealed record UpdateBookRequest(string? Title, string? Author, string? Narrator, string? Description, string? Language)
{
    /// <summary>The fields as stored (null: absent or cleared); title and author may be left out, not emptied.</summary>
    public (string? Title, string? Author, string? Narrator, string? Description, string? Language) Validate(FieldErrors errors)
    {
        if (Title is not null && Text.Clean(Title) is null)
        {
            errors.Add("title", "title cannot be empty.");
        }
        if (Author is not null && Text.Clean(Author) is null)
        {
            errors.Add("author", "author cannot be empty.");
        }
        return BookFields.Validate(errors, Title, Author, Narrator, Description, Language, required: false);
    }
}
