using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Http;
using Audiobook.Api.Storage;
using Audiobook.Api.Streaming;
using Audiobook.Api.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Audiobook.Api.Chapters;

public static class ChaptersApi
{
    /// <summary>Chapters and their edits.</summary>
    public static IHostApplicationBuilder AddChapters(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChapterStore>();
        builder.Services.AddSingleton<ChapterEdits>();
        return builder;
    }


    public static IEndpointRouteBuilder MapChaptersApi(this IEndpointRouteBuilder routes)
    {
        var chapters = routes.MapGroup($"/api/v1/books/{Ids.Route("bookId")}/chapters").WithTags("Chapters");
        chapters.MapGet("/", List).WithName("ListChapters").WithSummary("A book's chapters in order");
        var chapter = chapters.MapGroup("/" + Ids.Route("chapterId"));
        chapter.MapGet("/", Get).WithName("GetChapter").WithSummary("One chapter");
        chapter.MapPatch("/", Update).WithName("UpdateChapter").WithSummary("Rename or renumber a chapter")
            .ProducesProblem(StatusCodes.Status409Conflict);
        chapter.MapDelete("/", Delete).WithName("DeleteChapter").WithSummary("Delete a chapter and its audio");
        chapter.MapGet("/stream", Stream).WithName("StreamChapter").WithSummary("A signed URL that plays the chapter with HTTP Range")
            .RequireRateLimiting(UserRateLimits.StreamUrlPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        chapter.MapGet("/download", Download).WithName("DownloadChapter").WithSummary("A signed URL that downloads the chapter under its file name")
            .RequireRateLimiting(UserRateLimits.StreamUrlPolicy).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    /// <summary>A page holds every chapter of almost any book; one of thousands answers in bounded pages.</summary>
    public const int DefaultPageSize = 500;

    public const int MaxPageSize = 1000;

    public static async Task<Results<Ok<ChapterList>, ValidationProblem, ProblemHttpResult>> List(
        string bookId, int? limit, string? cursor, HttpContext context, BookStore books, ChapterStore chapters, PageCursor cursors, CancellationToken ct)
    {
        var owner = context.User.UserId();
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return FieldErrors.Problem("limit", $"limit must be between 1 and {MaxPageSize}.");
        }
        int? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (cursors.Decode($"{owner}/{bookId}", cursor) is not { } decoded || !int.TryParse(decoded, System.Globalization.CultureInfo.InvariantCulture, out var last))
            {
                return FieldErrors.Problem("cursor", "cursor is not a cursor this API issued for this book.");
            }
            after = last;
        }
        if (await books.GetAsync(owner, bookId, ct) is null)
        {
            return Problems.BookNotFound();
        }
        var (items, continueAfter) = await chapters.ListAsync(bookId, size, after, ct);
        var next = continueAfter is { } number ? cursors.Encode($"{owner}/{bookId}", number.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new ChapterList([.. items.Select(c => c.ToResponse())], next));
    }

    public static async Task<Results<Ok<ChapterResponse>, ProblemHttpResult>> Get(
        string bookId, string chapterId, HttpContext context, BookStore books, ChapterStore chapters, CancellationToken ct)
    {
        var (_, chapter, problem) = await FindAsync(bookId, chapterId, context, books, chapters, ct);
        return problem ?? (Results<Ok<ChapterResponse>, ProblemHttpResult>)TypedResults.Ok(chapter!.ToResponse());
    }

    public static async Task<Results<Ok<ChapterResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string bookId, string chapterId, UpdateChapterRequest request, HttpContext context, ChapterEdits edits, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var title = request.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await edits.UpdateAsync(context.User.UserId(), bookId, chapterId, title, request.Number, ct) switch
        {
            ChapterEditOutcome.Done done => TypedResults.Ok(done.Chapter!.ToResponse()),
            ChapterEditOutcome.NumberTaken taken => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Chapter number taken",
                detail: $"Another chapter of this book already has number {taken.Number}."),
            var missing => NotFound(missing),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string bookId, string chapterId, HttpContext context, ChapterEdits edits, StreamLookups lookups, CancellationToken ct)
    {
        lookups.Forget(bookId, chapterId);
        var outcome = await edits.DeleteAsync(context.User.UserId(), bookId, chapterId, ct);
        return outcome is ChapterEditOutcome.Done ? TypedResults.NoContent() : NotFound(outcome);
    }

    private static ProblemHttpResult NotFound(ChapterEditOutcome missing) =>
        missing is ChapterEditOutcome.NotFound { Book: true } ? Problems.BookNotFound() : Problems.ChapterNotFound();

    public sealed record Signing(
        [FromServices] BookStore Books,
        [FromServices] ChapterStore Chapters,
        [FromServices] StreamLookups Lookups,
        [FromServices] IStreamUrlSigner Signer,
        [FromServices] AudiobookMetrics Metrics);

    public static Task<Results<Ok<SignedUrl>, ProblemHttpResult>> Stream(
        string bookId, string chapterId, HttpContext context, [AsParameters] Signing signing, CancellationToken ct) =>
        SignAsync(bookId, chapterId, download: false, context, signing, ct);

    public static Task<Results<Ok<SignedUrl>, ProblemHttpResult>> Download(
        string bookId, string chapterId, HttpContext context, [AsParameters] Signing signing, CancellationToken ct) =>
        SignAsync(bookId, chapterId, download: true, context, signing, ct);

    private static async Task<Results<Ok<SignedUrl>, ProblemHttpResult>> SignAsync(
        string bookId, string chapterId, bool download, HttpContext context, Signing signing, CancellationToken ct)
    {
        ProblemHttpResult? problem = null;
        var chapter = await signing.Lookups.FindAsync(context.User.UserId(), bookId, chapterId, async () =>
        {
            (_, var found, problem) = await FindAsync(bookId, chapterId, context, signing.Books, signing.Chapters, ct);
            return found;
        });
        if (chapter is null)
        {
            return problem ?? Problems.ChapterNotFound();
        }
        var (signer, metrics) = (signing.Signer, signing.Metrics);
        var url = signer.Sign(new StreamTarget(chapter.ObjectKey, chapter.ContentType, download ? chapter.FileName : null));
        metrics.StreamUrlIssued(download ? "download" : "stream", signer.Name);
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(url);
    }

    /// <summary>The chapter of a book the signed-in user owns; another user's book answers 404 like a missing one.</summary>
    private static async Task<(Book? Book, Chapter? Chapter, ProblemHttpResult? Problem)> FindAsync(
        string bookId, string chapterId, HttpContext context, BookStore books, ChapterStore chapters, CancellationToken ct)
    {
        var book = await books.GetAsync(context.User.UserId(), bookId, ct);
        if (book is null)
        {
            return (null, null, Problems.BookNotFound());
        }
        var chapter = await chapters.GetChapterAsync(bookId, chapterId, ct);
        return chapter is null ? (book, null, Problems.ChapterNotFound()) : (book, chapter, null);
    }
}
