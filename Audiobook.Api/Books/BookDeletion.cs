using Audiobook.Api.Chapters;
using Audiobook.Api.Progress;
using Audiobook.Api.Storage;

namespace Audiobook.Api.Books;

/// <summary>
/// Deletes a book and everything that hangs off it. The book record goes first, so the book
/// disappears for its owner at once and no new chapter can be completed into it; then its chapter
/// records, audio objects, cover and progress follow.
/// </summary>
public sealed class BookDeletion(BookStore books, ChapterStore chapters, ProgressStore progress, AudioStore audio)
{
    public async Task<bool> DeleteAsync(string ownerId, string bookId, CancellationToken ct)
    {
        if (await books.DeleteAsync(ownerId, bookId, ct) is not { } book)
        {
            return false;
        }
        var keys = await chapters.DeleteAllAsync(bookId, ct);
        if (book.Cover is { } cover)
        {
            keys.Add(cover.ObjectKey);
        }
        await audio.DeleteManyAsync(keys, ct);
        await progress.DeleteAsync(ownerId, bookId, ct);
        return true;
    }
}
