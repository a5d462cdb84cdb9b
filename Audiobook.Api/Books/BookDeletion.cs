using Audiobook.Api.Chapters;
using Audiobook.Api.Progress;
using Audiobook.Api.Quotas;
using Audiobook.Api.Storage;

namespace Audiobook.Api.Books;

/// <summary>
/// Deletes a book and everything that hangs off it. The book record goes first, so the book
/// disappears for its owner at once and no new chapter can be completed into it; then its chapter
/// records, audio objects, cover and progress follow, and its open uploads: their parts in storage and
/// their reservations in the owner's usage.
/// </summary>
public sealed class BookDeletion(BookStore books, ChapterStore chapters, ProgressStore progress, AudioStore audio, UsageStore usage)
{
    public async Task<bool> DeleteAsync(string ownerId, string bookId, CancellationToken ct)
    {
        if (await books.DeleteAsync(ownerId, bookId, ct) is not { } book)
        {
            return false;
        }
        var (keys, uploads) = await chapters.DeleteAllAsync(bookId, ct);
        foreach (var upload in uploads)
        {
            if (upload.Multipart is { } multipart)
            {
                await audio.AbortMultipartAsync(upload.ObjectKey, multipart.StorageUploadId, ct);
            }
            if (upload.Reserved)
            {
                await usage.ReleaseUploadAsync(ownerId, upload.Id, upload.SizeBytes, ct);
            }
        }
        if (book.Cover is { } cover)
        {
            keys.Add(cover.ObjectKey);
        }
        await audio.DeleteManyAsync(keys, ct);
        await progress.DeleteAsync(ownerId, bookId, ct);
        return true;
    }
}
