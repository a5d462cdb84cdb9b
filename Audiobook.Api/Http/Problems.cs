using Microsoft.AspNetCore.Http.HttpResults;

namespace Audiobook.Api.Http;

/// <summary>The problem answers shared by several routes, worded once.</summary>
public static class Problems
{
    public static ProblemHttpResult BookNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Book not found", detail: "There is no such book in your library.");

    public static ProblemHttpResult ChapterNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Chapter not found", detail: "This book has no such chapter.");

    public static ProblemHttpResult PreconditionFailed() =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The book has changed",
            detail: "If-Match does not match the book's current ETag. Fetch it again and retry.");
}
