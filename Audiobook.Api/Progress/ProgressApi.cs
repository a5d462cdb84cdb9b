using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Http;
using Audiobook.Api.Media;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Audiobook.Api.Progress;

public static class ProgressApi
{
    /// <summary>Listening progress.</summary>
    public static IHostApplicationBuilder AddProgress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProgressStore>();
        return builder;
    }

    public const int RecentLimit = 100;

    public static IEndpointRouteBuilder MapProgressApi(this IEndpointRouteBuilder routes)
    {
        var progress = routes.MapGroup($"/api/v1/books/{Ids.Route("bookId")}/progress").WithTags("Progress");
        progress.MapPut("/", Save).WithName("SaveProgress").WithSummary("Save where the listener is (older updates never win)");
        progress.MapGet("/", Get).WithName("GetProgress").WithSummary("Where the listener is in a book");
        routes.MapGet("/api/v1/me/progress", Recent).WithTags("Progress").WithName("ContinueListening")
            .WithSummary("Progress in every book, most recently played first");
        return routes;
    }

    public static async Task<Results<Ok<ListeningProgress>, ValidationProblem, ProblemHttpResult>> Save(
        string bookId, SaveProgressRequest request, HttpContext context, BookStore books, ChapterStore chapters,
        ProgressStore progress, TimeProvider time, CancellationToken ct)
    {
        var user = context.User.UserId();
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        request.Validate(errors, now);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await books.GetAsync(user, bookId, ct) is null)
        {
            return Problems.BookNotFound();
        }
        var chapter = await chapters.GetChapterAsync(bookId, request.ChapterId!, ct);
        if (chapter is null)
        {
            return FieldErrors.Problem("chapterId", "This book has no such chapter.");
        }
        // A player may report a hair past the end; the position is kept within the chapter.
        var clamped = chapter.DurationSeconds is { } duration ? Math.Min(request.PositionSeconds!.Value, duration) : request.PositionSeconds!.Value;
        var saved = await progress.SaveAsync(user, new ListeningProgress(bookId, chapter.Id, Math.Round(clamped, 3), request.ClientUpdatedAt!.Value.ToUniversalTime(), now), ct);
        return TypedResults.Ok(saved);
    }

    public static async Task<Results<Ok<ListeningProgress>, ProblemHttpResult>> Get(
        string bookId, HttpContext context, BookStore books, ProgressStore progress, CancellationToken ct)
    {
        var user = context.User.UserId();
        if (await books.GetAsync(user, bookId, ct) is null)
        {
            return Problems.BookNotFound();
        }
        var saved = await progress.GetAsync(user, bookId, ct);
        return saved is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No progress yet", detail: "Nothing has been played in this book yet.")
            : TypedResults.Ok(saved);
    }

    public static async Task<Ok<ProgressList>> Recent(HttpContext context, ProgressStore progress, CancellationToken ct) =>
        TypedResults.Ok(new ProgressList(await progress.RecentAsync(context.User.UserId(), RecentLimit, ct)));
}
