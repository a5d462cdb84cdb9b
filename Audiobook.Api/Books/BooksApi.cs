using Audiobook.Api.Accounts;
using Audiobook.Api.Http;
using Audiobook.Api.Quotas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Audiobook.Api.Books;

public static class BooksApi
{
    /// <summary>Books, their pages and their deletion with everything they hold.</summary>
    public static IHostApplicationBuilder AddBooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BookStore>();
        builder.Services.AddSingleton<PageCursor>();
        builder.Services.AddSingleton<BookDeletion>();
        return builder;
    }

    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapBooksApi(this IEndpointRouteBuilder routes)
    {
        var books = routes.MapGroup("/api/v1/books").WithTags("Books");
        books.MapPost("/", Create).WithName("CreateBook").WithSummary("Create a book").ProducesProblem(StatusCodes.Status403Forbidden);
        books.MapGet("/", List).WithName("ListBooks").WithSummary("The signed-in user's books, newest first, paged by cursor");
        var book = books.MapGroup("/" + Ids.Route("bookId"));
        book.MapGet("/", Get).WithName("GetBook").WithSummary("One book");
        book.MapPatch("/", Update).WithName("UpdateBook").WithSummary("Change a book's details (honours If-Match)")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        book.MapDelete("/", Delete).WithName("DeleteBook").WithSummary("Delete a book with its chapters, audio and progress");
        return routes;
    }

    public static async Task<Results<Created<BookResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateBookRequest request, HttpContext context, BookStore store, UsageStore usage, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (title, author, narrator, description, language) = request.Validate(errors);
        var key = context.Request.Headers[IdempotencyKey.Header].ToString();
        if (key.Length > 0 && !IdempotencyKey.IsValid(key))
        {
            errors.Add(IdempotencyKey.Header, "Idempotency-Key must be 1 to 100 visible ASCII characters.");
        }
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var now = time.GetUtcNow();
        var book = new Book(context.User.UserId(), Ids.New(), title!, author!, narrator, description, language, 0, 0, 1, 1, now, now);
        if (key.Length == 0)
        {
            if (!await store.CreateAsync(book, ct))
            {
                return (await usage.RefuseBookAsync(book.OwnerId, ct)).ToProblem();
            }
        }
        else
        {
            var fingerprint = IdempotencyKey.Fingerprint(title, author, narrator, description, language);
            var (created, bookId, firstFingerprint) = await store.CreateOnceAsync(book, key, fingerprint, now, ct);
            if (bookId is null)
            {
                return (await usage.RefuseBookAsync(book.OwnerId, ct)).ToProblem();
            }
            if (!created)
            {
                if (firstFingerprint != fingerprint)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                        detail: "This Idempotency-Key was used for a different book. Use a new key for a new request.");
                }
                // A retry: the book the first request made, as it is now.
                var first = await store.GetAsync(book.OwnerId, bookId, ct);
                if (first is null)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key already used",
                        detail: "The book this Idempotency-Key created has been deleted since. Use a new key to create another.");
                }
                book = first;
            }
        }
        context.Response.Headers.ETag = book.ETag;
        return TypedResults.Created($"/api/v1/books/{book.Id}", book.ToResponse());
    }

    public static async Task<Results<Ok<BookPage>, ValidationProblem>> List(
        int? limit, string? cursor, HttpContext context, BookStore store, PageCursor cursors, CancellationToken ct)
    {
        var owner = context.User.UserId();
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return FieldErrors.Problem("limit", $"limit must be between 1 and {MaxPageSize}.");
        }
        string? after = null;
        if (!string.IsNullOrEmpty(cursor) && (after = cursors.Decode(owner, cursor)) is null)
        {
            return FieldErrors.Problem("cursor", "cursor is not a cursor this API issued for your library.");
        }
        var (books, hasMore) = await store.ListAsync(owner, size, after, ct);
        var next = hasMore ? cursors.Encode(owner, books[^1].Id) : null;
        return TypedResults.Ok(new BookPage([.. books.Select(b => b.ToResponse())], next));
    }

    public static async Task<Results<Ok<BookResponse>, ProblemHttpResult>> Get(string bookId, HttpContext context, BookStore store, CancellationToken ct)
    {
        var book = await store.GetAsync(context.User.UserId(), bookId, ct);
        if (book is null)
        {
            return Problems.BookNotFound();
        }
        context.Response.Headers.ETag = book.ETag;
        return TypedResults.Ok(book.ToResponse());
    }

    public static async Task<Results<Ok<BookResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string bookId, UpdateBookRequest request, HttpContext context, BookStore store, TimeProvider time, CancellationToken ct)
    {
        var owner = context.User.UserId();
        var errors = new FieldErrors();
        var (title, author, narrator, description, language) = request.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var fields = new Dictionary<string, string?>();
        AddChange(fields, "title", request.Title, title);
        AddChange(fields, "author", request.Author, author);
        AddChange(fields, "narrator", request.Narrator, narrator);
        AddChange(fields, "description", request.Description, description);
        AddChange(fields, "language", request.Language, language);

        long? ifVersion = null;
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*")
        {
            if (!EntityTagHeaderValue.TryParse(ifMatch, out var tag) || !long.TryParse(tag.Tag.AsSpan().Trim('"'), out var version))
            {
                return Problems.PreconditionFailed();
            }
            ifVersion = version;
        }

        var updated = await store.UpdateDetailsAsync(owner, bookId, fields, ifVersion, time.GetUtcNow(), ct);
        if (updated is null)
        {
            return await store.GetAsync(owner, bookId, ct) is null ? Problems.BookNotFound() : Problems.PreconditionFailed();
        }
        context.Response.Headers.ETag = updated.ETag;
        return TypedResults.Ok(updated.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string bookId, HttpContext context, BookDeletion deletion, CancellationToken ct) =>
        await deletion.DeleteAsync(context.User.UserId(), bookId, ct) ? TypedResults.NoContent() : Problems.BookNotFound();

    /// <summary>Only fields present in the request change; "" clears an optional one.</summary>
    private static void AddChange(Dictionary<string, string?> fields, string name, string? raw, string? cleaned)
    {
        if (raw is not null)
        {
            fields[name] = cleaned;
        }
    }
}
