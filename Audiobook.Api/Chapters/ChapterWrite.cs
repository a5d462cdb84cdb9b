namespace Audiobook.Api.Chapters;

/// <summary>What one conditional write of a book's chapters came to.</summary>
public enum ChapterWrite
{
    Done,

    /// <summary>Another writer changed the book first: read it again and retry.</summary>
    BookChanged,

    /// <summary>The chapter already exists (a concurrent complete won) or no longer exists (delete).</summary>
    ChapterConflict,

    /// <summary>The requested chapter number belongs to another chapter.</summary>
    NumberTaken,

    /// <summary>The pending upload is gone: it was aborted.</summary>
    UploadGone,
}
