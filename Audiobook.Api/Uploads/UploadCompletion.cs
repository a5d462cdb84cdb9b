using Amazon.S3;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Http;
using Audiobook.Api.Media;
using Audiobook.Api.Quotas;
using Audiobook.Api.Storage;
using Audiobook.Api.Telemetry;

namespace Audiobook.Api.Uploads;

/// <summary>
/// Checks what the client stored (it exists, its size is the one declared, its bytes are a playable
/// MP4/M4A) and turns it into a chapter, with the file's markers and tags. The book takes the file's
/// narrator, description and language into fields it has no value for (from its first chapter), and
/// the file's cover while it has none. A rejected object is deleted and leaves no record behind;
/// completing twice, or concurrently, yields the same chapter.
/// </summary>
public sealed class UploadCompletion(
    BookStore books, ChapterStore chapters, AudioStore audio, UsageStore usage, AudiobookMetrics metrics, TimeProvider time, ILogger<UploadCompletion> logger)
{
    public async Task<CompletionOutcome> CompleteAsync(string ownerId, string bookId, string uploadId, CancellationToken ct)
    {
        var book = await books.GetAsync(ownerId, bookId, ct);
        if (book is null)
        {
            return new CompletionOutcome.NotFound(Book: true);
        }
        if (await chapters.GetChapterAsync(bookId, uploadId, ct) is { } done)
        {
            return new CompletionOutcome.Completed(done);
        }
        var upload = await chapters.GetUploadAsync(bookId, uploadId, ct);
        if (upload is not null && time.GetUtcNow() >= upload.ExpiresAt + ChapterStore.KeepUploadRecordsAfterExpiry)
        {
            // Its record outlived its time only because DynamoDB's TTL deletes late; its reservation may be released.
            return new CompletionOutcome.NotFound(Book: false);
        }
        if (upload is null)
        {
            // A concurrent complete may have committed between the two reads (the chapter and the
            // upload's removal commit together): then this one is done too.
            return await chapters.GetChapterAsync(bookId, uploadId, ct) is { } justDone
                ? new CompletionOutcome.Completed(justDone)
                : new CompletionOutcome.NotFound(Book: false);
        }

        try
        {
            if (upload.Multipart is { } multipart && await AssembleAsync(book, upload, multipart, ct) is { } unassembled)
            {
                return unassembled;
            }
            return await CheckAndAddAsync(book, upload, ct);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
        {
            // The object went away while it was checked (403 is S3's answer for a missing object to the
            // API's role): the upload was aborted, or expired and swept.
            logger.LogInformation("Upload {UploadId}: its object went away during completion ({Status})", upload.Id, ex.StatusCode);
            return await chapters.GetUploadAsync(bookId, uploadId, ct) is null
                ? new CompletionOutcome.NotFound(Book: false)
                : new CompletionOutcome.Rejected(StatusCodes.Status422UnprocessableEntity, "Nothing uploaded",
                    "The uploaded file is no longer stored. PUT the file again, then complete.", "missing");
        }
    }

    /// <summary>
    /// Makes the stored parts one object, from what storage lists (the client sends no ETags): null when
    /// the object is there to check, or why not. A missing or wrong-sized part keeps the upload open:
    /// the client sends those parts and completes again.
    /// </summary>
    private async Task<CompletionOutcome?> AssembleAsync(Book book, PendingUpload upload, MultipartUpload multipart, CancellationToken ct)
    {
        if (await audio.SizeAsync(upload.ObjectKey, ct) is not null)
        {
            return null; // assembled by an earlier or concurrent completion
        }
        var parts = await audio.ListPartsAsync(upload.ObjectKey, multipart.StorageUploadId, ct);
        if (parts is not null)
        {
            var (missing, wrongSize) = multipart.Plan.Check(parts);
            if (missing.Count > 0 || wrongSize.Count > 0)
            {
                logger.LogInformation("Upload {UploadId}: {Missing} parts missing, {WrongSize} of the wrong size", upload.Id, missing.Count, wrongSize.Count);
                return PartsMissing(multipart.Plan, missing, wrongSize);
            }
            if (await audio.CompleteMultipartAsync(upload.ObjectKey, multipart.StorageUploadId, parts, ct))
            {
                return null;
            }
        }
        // Storage knows no such multipart upload: a concurrent completion assembled it, or it was aborted.
        if (await audio.SizeAsync(upload.ObjectKey, ct) is not null)
        {
            return null;
        }
        return await chapters.GetUploadAsync(upload.BookId, upload.Id, ct) is null
            ? new CompletionOutcome.NotFound(Book: false)
            : await RejectAsync(book.OwnerId, upload, StatusCodes.Status422UnprocessableEntity, "Upload expired",
                "Storage discarded this upload's parts (it was open longer than a multipart upload may be). Start a new upload.", "parts-gone", ct);
    }

    private static CompletionOutcome.Rejected PartsMissing(MultipartPlan plan, IReadOnlyList<int> missing, IReadOnlyList<int> wrongSize)
    {
        static string List(IReadOnlyList<int> numbers) =>
            string.Join(", ", numbers.Take(20)) + (numbers.Count > 20 ? $" and {numbers.Count - 20} more" : "");
        var said = new List<string>();
        if (missing.Count > 0)
        {
            said.Add($"part{(missing.Count == 1 ? "" : "s")} {List(missing)} {(missing.Count == 1 ? "is" : "are")} not stored");
        }
        if (wrongSize.Count > 0)
        {
            said.Add($"part{(wrongSize.Count == 1 ? "" : "s")} {List(wrongSize)} {(wrongSize.Count == 1 ? "has" : "have")} the wrong size " +
                $"(each part has {plan.PartSizeBytes} bytes, the last {plan.SizeOf(plan.PartCount)})");
        }
        var detail = $"Of {plan.PartCount} parts, {string.Join("; ", said)}. Send {(missing.Count + wrongSize.Count == 1 ? "it" : "them")}, then complete again.";
        return new CompletionOutcome.Rejected(StatusCodes.Status422UnprocessableEntity, "Parts missing", detail, "parts-missing",
            new Dictionary<string, object?> { ["missingParts"] = missing.ToArray(), ["wrongSizeParts"] = wrongSize.ToArray() });
    }

    /// <summary>Checks the stored object (size, MP4 content, metadata) and makes it the book's next chapter.</summary>
    private async Task<CompletionOutcome> CheckAndAddAsync(Book book, PendingUpload upload, CancellationToken ct)
    {
        var size = await audio.SizeAsync(upload.ObjectKey, ct);
        if (size is null)
        {
            // Nothing to delete and nothing lost: the client may still PUT and complete again.
            return new CompletionOutcome.Rejected(StatusCodes.Status422UnprocessableEntity, "Nothing uploaded",
                "No file has been uploaded to this upload's URL yet. PUT the file first, then complete.", "missing");
        }
        if (size != upload.SizeBytes)
        {
            return await RejectAsync(book.OwnerId, upload, StatusCodes.Status422UnprocessableEntity, "Size mismatch",
                $"The uploaded file has {size} bytes, but {upload.SizeBytes} were declared.", "size-mismatch", ct);
        }

        var inspection = await Mp4Inspector.InspectAsync(audio.OpenRanged(upload.ObjectKey, size.Value), ct);
        metrics.UploadInspected(inspection.BytesRead);
        logger.LogInformation("Upload {UploadId} inspected: {BytesRead} of {SizeBytes} bytes read, {Verdict}: {Reason}",
            upload.Id, inspection.BytesRead, size.Value, inspection.Verdict, inspection.Reason);
        if (!inspection.IsPlayable)
        {
            var unsupported = inspection.Verdict is Mp4Verdict.NotMp4 or Mp4Verdict.Protected;
            return await RejectAsync(book.OwnerId, upload,
                unsupported ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status422UnprocessableEntity,
                unsupported ? "Not a playable MP4/M4A file" : "Broken audio file",
                inspection.Reason, inspection.Verdict.ToString(), ct);
        }

        var metadata = inspection.Metadata;
        logger.LogInformation("Upload {UploadId}: {MarkerCount} markers ({MarkerSource}), tags {HasTags}, cover {HasCover}",
            upload.Id, metadata.Markers.Count, metadata.MarkerSource ?? "none", !metadata.Tags.IsEmpty, metadata.Cover is not null);
        foreach (var problem in metadata.Problems)
        {
            logger.LogInformation("Upload {UploadId}: metadata left out: {Problem}", upload.Id, problem);
        }

        // Untag before the record is written: a crash in between leaves a pending record the client can
        // complete again, never a chapter whose audio the lifecycle rule would later expire.
        await audio.KeepAsync(upload.ObjectKey, ct);
        var cover = book.Cover is null && metadata.Cover is { } embedded ? await CopyCoverAsync(upload, embedded, ct) : null;
        var outcome = await AddChapterAsync(book, upload, inspection.DurationSeconds, metadata, cover, ct);
        if (cover is not null && (await books.GetAsync(book.OwnerId, book.Id, ct))?.Cover?.ObjectKey != cover.ObjectKey)
        {
            // The book had a cover by the time the chapter was written (or is gone): this copy is nobody's.
            await audio.DeleteAsync(cover.ObjectKey, ct);
        }
        if (outcome is CompletionOutcome.Completed)
        {
            metrics.UploadCompleted(upload.SizeBytes);
        }
        return outcome;
    }

    /// <summary>The file's cover as an object of its own, or null (logged) when it cannot be copied: a chapter does not need it.</summary>
    private async Task<BookCover?> CopyCoverAsync(PendingUpload upload, EmbeddedCover embedded, CancellationToken ct)
    {
        var cover = new BookCover(AudioStore.CoverKey(upload.BookId, upload.Id, embedded.ContentType), embedded.ContentType);
        try
        {
            await audio.CopyRangeAsync(upload.ObjectKey, embedded.Offset, embedded.Length, cover.ObjectKey, cover.ContentType, ct);
            return cover;
        }
        catch (Exception ex) when (ex is AmazonS3Exception or HttpRequestException or IOException)
        {
            logger.LogWarning(ex, "Upload {UploadId}: its cover could not be copied; the chapter is added without it", upload.Id);
            return null;
        }
    }

    /// <summary>What the book takes from this file, as it stands now: text fields from its first chapter only, the cover while it has none.</summary>
    private static BookFill Fill(Book book, Mp4Metadata metadata, BookCover? cover)
    {
        var first = book.ChapterCount == 0;
        var language = metadata.Language;
        return new BookFill(
            Narrator: first ? Text.Sanitize(metadata.Tags.Narrator, BookFields.MaxNarrator) : null,
            Description: first ? Text.Sanitize(metadata.Tags.Description, BookFields.MaxDescription, multiline: true) : null,
            Language: first && language is not null && BookFields.IsLanguageTag(language) ? language : null,
            Cover: book.Cover is null ? cover : null);
    }

    /// <summary>Takes the book's next number; concurrent completes retry against the fresh book until each has its own.</summary>
    private async Task<CompletionOutcome> AddChapterAsync(
        Book book, PendingUpload upload, double? duration, Mp4Metadata metadata, BookCover? cover, CancellationToken ct)
    {
        var title = upload.Title ?? metadata.Tags.Title ?? Path.GetFileNameWithoutExtension(upload.FileName);
        return await WriteRetry.ExecuteAsync<CompletionOutcome>("number the chapter", async token =>
        {
            var chapter = new Chapter(book.Id, upload.Id, book.NextChapterNumber, title,
                upload.FileName, upload.ContentType, upload.SizeBytes, duration, upload.ObjectKey, time.GetUtcNow())
            {
                Markers = metadata.Markers,
                MarkerSource = metadata.MarkerSource,
                Tags = metadata.Tags,
            };
            switch (await chapters.AddAsync(book, chapter, upload.Reserved, Fill(book, metadata, cover), time.GetUtcNow(), token))
            {
                case ChapterWrite.Done:
                    return new CompletionOutcome.Completed(chapter);
                case ChapterWrite.ChapterConflict when await chapters.GetChapterAsync(book.Id, upload.Id, token) is { } winner:
                    return new CompletionOutcome.Completed(winner);
                case ChapterWrite.UploadGone:
                    // Aborted while it was inspected: the abort removes the object.
                    return new CompletionOutcome.NotFound(Book: false);
            }
            var fresh = await books.GetAsync(book.OwnerId, book.Id, token);
            if (fresh is null)
            {
                // The book was deleted meanwhile: its partition sweep may have run already.
                await audio.DeleteAsync(upload.ObjectKey, token);
                await chapters.DeleteUploadAsync(book.Id, upload.Id, token);
                await ReleaseAsync(book.OwnerId, upload, token);
                return new CompletionOutcome.NotFound(Book: true);
            }
            book = fresh;
            throw WriteRetry.Again();
        }, ct);
    }

    private async Task<CompletionOutcome> RejectAsync(string ownerId, PendingUpload upload, int status, string title, string detail, string reason, CancellationToken ct)
    {
        logger.LogInformation("Upload {UploadId} of book {BookId} rejected: {Reason}", upload.Id, upload.BookId, reason);
        metrics.UploadRejected(reason);
        await audio.DeleteAsync(upload.ObjectKey, ct);
        await chapters.DeleteUploadAsync(upload.BookId, upload.Id, ct);
        await ReleaseAsync(ownerId, upload, ct);
        return new CompletionOutcome.Rejected(status, title, detail, reason);
    }

    private async Task ReleaseAsync(string ownerId, PendingUpload upload, CancellationToken ct)
    {
        if (upload.Reserved)
        {
            await usage.ReleaseUploadAsync(ownerId, upload.Id, upload.SizeBytes, ct);
        }
    }
}
