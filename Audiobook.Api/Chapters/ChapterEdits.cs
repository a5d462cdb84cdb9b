using Audiobook.Api.Books;
using Audiobook.Api.Storage;

namespace Audiobook.Api.Chapters;

/// <summary>
/// Renames, renumbers and deletes a chapter against its book as it stands. Every change is
/// conditional on the book's state read; one that lost the race to another writer reads the book
/// and the chapter again and retries (<see cref="WriteRetry"/>), as completing an upload does.
/// </summary>
public sealed class ChapterEdits(BookStore books, ChapterStore chapters, AudioStore audio, TimeProvider time)
{
    /// <param name="title">The new title, or null to keep it.</param>
    /// <param name="number">The new number, or null to keep it.</param>
    public async Task<ChapterEditOutcome> UpdateAsync(string ownerId, string bookId, string chapterId, string? title, int? number, CancellationToken ct) =>
        await WriteRetry.ExecuteAsync("update the chapter", async token =>
        {
            var (book, chapter, missing) = await FindAsync(ownerId, bookId, chapterId, token);
            if (missing is not null)
            {
                return missing;
            }
            var newTitle = title ?? chapter!.Title;
            var newNumber = number ?? chapter!.Number;
            var write = newNumber == chapter!.Number
                ? await chapters.RenameAsync(book!, chapter, newTitle, time.GetUtcNow(), token)
                : await chapters.RenumberAsync(book!, chapter, newNumber, newTitle, time.GetUtcNow(), token);
            return write switch
            {
                ChapterWrite.Done => new ChapterEditOutcome.Done(chapter with { Title = newTitle, Number = newNumber }),
                ChapterWrite.NumberTaken => new ChapterEditOutcome.NumberTaken(newNumber),
                _ => throw WriteRetry.Again(),
            };
        }, ct);

    /// <summary>Deletes the chapter and its number claim with the book's counters, then its audio.</summary>
    public async Task<ChapterEditOutcome> DeleteAsync(string ownerId, string bookId, string chapterId, CancellationToken ct) =>
        await WriteRetry.ExecuteAsync("delete the chapter", async token =>
        {
            var (book, chapter, missing) = await FindAsync(ownerId, bookId, chapterId, token);
            if (missing is not null)
            {
                return missing;
            }
            if (await chapters.DeleteAsync(book!, chapter!, time.GetUtcNow(), token) != ChapterWrite.Done)
            {
                throw WriteRetry.Again();
            }
            await audio.DeleteAsync(chapter!.ObjectKey, token);
            return new ChapterEditOutcome.Done(null);
        }, ct);

    /// <summary>The chapter of a book the owner has; another user's book is missing like one that does not exist.</summary>
    private async Task<(Book? Book, Chapter? Chapter, ChapterEditOutcome? Missing)> FindAsync(string ownerId, string bookId, string chapterId, CancellationToken ct)
    {
        var book = await books.GetAsync(ownerId, bookId, ct);
        if (book is null)
        {
            return (null, null, new ChapterEditOutcome.NotFound(Book: true));
        }
        var chapter = await chapters.GetChapterAsync(bookId, chapterId, ct);
        return chapter is null ? (book, null, new ChapterEditOutcome.NotFound(Book: false)) : (book, chapter, null);
    }
}
