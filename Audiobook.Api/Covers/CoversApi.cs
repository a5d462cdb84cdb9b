using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Http;
using Audiobook.Api.Media;
using Audiobook.Api.Storage;
using Audiobook.Api.Streaming;
using Audiobook.Api.Uploads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Covers;

/// <summary>
/// A book's cover picture: uploaded straight to S3 like a chapter (create → PUT → complete), checked by
/// its content, served by a signed URL like the audio. A file's embedded cover becomes the book's cover
/// at upload completion while the book has none (<see cref="UploadCompletion"/>).
/// </summary>
public static class CoversApi
{
    /// <summary>Cover uploads and their checks.</summary>
    public static IHostApplicationBuilder AddCovers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CoverUploads>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCoversApi(this IEndpointRouteBuilder routes)
    {
        var cover = routes.MapGroup($"/api/v1/books/{Ids.Route("bookId")}/cover").WithTags("Covers");
        cover.MapGet("/", Get).WithName("GetCover").WithSummary("A signed URL of the book's cover picture");
        cover.MapPost("/", Create).WithName("CreateCoverUpload").WithSummary("Get a presigned URL to PUT a JPEG or PNG cover to")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        cover.MapPost("/complete", Complete).WithName("CompleteCoverUpload").WithSummary("Check the uploaded picture and make it the book's cover")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cover.MapDelete("/", Delete).WithName("DeleteCover").WithSummary("Remove the book's cover");
        return routes;
    }

    public static async Task<Results<Ok<SignedUrl>, ProblemHttpResult>> Get(
        string bookId, HttpContext context, BookStore books, IStreamUrlSigner signer, CancellationToken ct)
    {
        var book = await books.GetAsync(context.User.UserId(), bookId, ct);
        if (book is null)
        {
            return Problems.BookNotFound();
        }
        if (book.Cover is not { } cover)
        {
            return NoCover();
        }
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(signer.Sign(new StreamTarget(cover.ObjectKey, cover.ContentType, null)));
    }

    public static async Task<Results<Created<UploadTicket>, ValidationProblem, ProblemHttpResult>> Create(
        string bookId, CreateCoverRequest request, HttpContext context, BookStore books, CoverUploads pending, AudioStore audio,
        IOptions<UploadOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var size = request.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var contentType = UploadRules.MediaType(request.ContentType);
        if (contentType is not (ImageFormats.Jpeg or ImageFormats.Png))
        {
            return Unsupported($"A cover must be {ImageFormats.Jpeg} or {ImageFormats.Png}.");
        }
        if (size > ImageFormats.MaxCoverBytes)
        {
            return TooLarge(size);
        }
        var book = await books.GetAsync(context.User.UserId(), bookId, ct);
        if (book is null)
        {
            return Problems.BookNotFound();
        }
        var now = time.GetUtcNow();
        var id = Ids.New();
        var upload = new PendingUpload(book.Id, id, "cover" + ImageFormats.Extension(contentType), contentType, size, null,
            AudioStore.CoverKey(book.Id, id, contentType), now, now + options.Value.UrlLifetime);
        await pending.PutAsync(upload, ct);
        var (url, headers) = audio.PresignUpload(upload.ObjectKey, contentType, upload.SizeBytes, upload.ExpiresAt);
        return TypedResults.Created($"/api/v1/books/{book.Id}/cover", new UploadTicket(id, url, "PUT", headers, upload.ExpiresAt));
    }

    public static async Task<Results<Ok<BookResponse>, ProblemHttpResult>> Complete(
        string bookId, HttpContext context, BookStore books, CoverUploads pending, AudioStore audio, TimeProvider time,
        ILoggerFactory logging, CancellationToken ct)
    {
        var owner = context.User.UserId();
        var book = await books.GetAsync(owner, bookId, ct);
        if (book is null)
        {
            return Problems.BookNotFound();
        }
        var upload = await pending.GetAsync(bookId, ct);
        if (upload is null)
        {
            // A retried complete whose first answer was lost finds the cover in place.
            return book.Cover is not null ? TypedResults.Ok(book.ToResponse())
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cover upload not found",
                    detail: "There is no pending cover upload for this book (it expired, or was rejected and must be started again).");
        }
        var size = await audio.SizeAsync(upload.ObjectKey, ct);
        if (size is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing uploaded",
                detail: "No picture has been uploaded to this cover upload's URL yet. PUT it first, then complete.");
        }
        var logger = logging.CreateLogger(typeof(CoversApi));
        async Task<ProblemHttpResult> Reject(int status, string title, string detail)
        {
            logger.LogInformation("Cover upload {UploadId} of book {BookId} rejected: {Title}", upload.Id, bookId, title);
            await audio.DeleteAsync(upload.ObjectKey, ct);
            await pending.DeleteAsync(upload, ct);
            return TypedResults.Problem(statusCode: status, title: title, detail: detail);
        }
        if (size > ImageFormats.MaxCoverBytes)
        {
            return await Reject(StatusCodes.Status413PayloadTooLarge, "Picture too large", $"A cover may be at most {ImageFormats.MaxCoverBytes} bytes; this one has {size}.");
        }
        if (size != upload.SizeBytes)
        {
            return await Reject(StatusCodes.Status422UnprocessableEntity, "Size mismatch", $"The uploaded picture has {size} bytes, but {upload.SizeBytes} were declared.");
        }
        var detected = ImageFormats.Detect(await audio.ReadStartAsync(upload.ObjectKey, size.Value, ImageFormats.SignatureLength, ct));
        if (detected != upload.ContentType)
        {
            return await Reject(StatusCodes.Status415UnsupportedMediaType, "Not a JPEG or PNG picture",
                detected is null ? "The uploaded file is neither a JPEG nor a PNG picture." : $"The uploaded picture is {detected}, but {upload.ContentType} was declared.");
        }

        await audio.KeepAsync(upload.ObjectKey, ct);
        var changed = await books.SetCoverAsync(owner, bookId, new BookCover(upload.ObjectKey, upload.ContentType), time.GetUtcNow(), ct);
        if (changed is not { } done)
        {
            // The book was deleted meanwhile: its partition sweep may have run already.
            await audio.DeleteAsync(upload.ObjectKey, ct);
            await pending.DeleteAsync(upload, ct);
            return Problems.BookNotFound();
        }
        if (done.Previous is { } previous && previous.ObjectKey != upload.ObjectKey)
        {
            await audio.DeleteAsync(previous.ObjectKey, ct);
        }
        await pending.DeleteAsync(upload, ct);
        return TypedResults.Ok(done.Book.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string bookId, HttpContext context, BookStore books, AudioStore audio, TimeProvider time, CancellationToken ct)
    {
        var changed = await books.SetCoverAsync(context.User.UserId(), bookId, null, time.GetUtcNow(), ct);
        if (changed is not { } done)
        {
            return Problems.BookNotFound();
        }
        if (done.Previous is { } previous)
        {
            await audio.DeleteAsync(previous.ObjectKey, ct);
        }
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NoCover() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No cover", detail: "This book has no cover picture.");

    private static ProblemHttpResult Unsupported(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported picture type", detail: detail);

    private static ProblemHttpResult TooLarge(long size) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Picture too large",
            detail: $"A cover may be at most {ImageFormats.MaxCoverBytes} bytes; this one would be {size}.");
}
