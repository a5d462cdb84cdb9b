namespace Audiobook.Api.Chapters;

/// <summary>What a rename, renumber or delete of a chapter came to.</summary>
public abstract record ChapterEditOutcome
{
    /// <summary>Done: the chapter as it now is (none after a delete).</summary>
    public sealed record Done(Chapter? Chapter) : ChapterEditOutcome;

    /// <summary>The book (or, when <paramref name="Book"/> is false, the chapter) is not the owner's or no longer exists.</summary>
    public sealed record NotFound(bool Book) : ChapterEditOutcome;

    /// <summary>Another chapter of the book has the number asked for.</summary>
    public sealed record NumberTaken(int Number) : ChapterEditOutcome;
}
