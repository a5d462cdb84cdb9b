using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Quotas;
using Audiobook.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Uploads;

/// <summary>Uploads go straight to S3 (on Lambda the API could not carry them): create → PUT to the URL → complete.</summary>
public static class UploadsApi
{
    /// <summary>The upload limits (section "Uploads") and the completion that turns a stored file into a chapter.</summary>
    public static IHostApplicationBuilder AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateWith<UploadOptions, UploadOptionsValidator>().ValidateOnStart();
        builder.Services.AddSingleton<UploadCompletion>();
        return builder;
    }

    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder routes)
    {
        var uploads = routes.MapGroup($"/api/v1/books/{Ids.Route("bookId")}/uploads").WithTags("Uploads");
        uploads.MapPost("/", Create).WithName("CreateUpload").WithSummary("Get a presigned URL to PUT one chapter's audio to, or a multipart ticket for a large file")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        uploads.MapPost($"/{Ids.Route("uploadId")}/complete", Complete).WithName("CompleteUpload")
            .WithSummary("Check the stored file and make it a chapter (ready at once)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        uploads.MapPost($"/{Ids.Route("uploadId")}/parts", MultipartUploads.SignParts).WithName("SignUploadParts")
            .WithSummary("Presigned URLs for parts of a multipart upload (at most 100 per call)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        uploads.MapGet($"/{Ids.Route("uploadId")}/parts", MultipartUploads.ListParts).WithName("ListUploadParts")
            .WithSummary("The parts storage holds: resume by sending only the others")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        uploads.MapDelete($"/{Ids.Route("uploadId")}", Abort).WithName("AbortUpload")
            .WithSummary("Give up an upload: its record and whatever was stored for it are removed")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Results<Created<UploadTicket>, Created<MultipartUploadTicket>, ValidationProblem, ProblemHttpResult>> Create(
        string bookId, CreateUploadRequest request, HttpContext context, BookStore books, ChapterStore chapters, AudioStore audio,
        UsageStore usage, IOptions<UploadOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (title, fileName) = request.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var extensions = options.Value.AcceptedExtensions;
        if (!extensions.Contains(fileName!.Extension))
        {
            return Unsupported($"Only {InWords(extensions)} files can be chapters, not '{fileName.Extension}'.");
        }
        var contentType = UploadRules.AcceptedContentType(request.ContentType);
        if (contentType is null)
        {
            return Unsupported($"contentType must be one of {string.Join(", ", UploadRules.ContentTypes.Order())}.");
        }
        var settings = options.Value;
        var max = settings.MaxSizeBytes;
        if (request.SizeBytes > max)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"A chapter may be at most {max} bytes; this one would be {request.SizeBytes}.");
        }

        var book = await books.GetAsync(context.User.UserId(), bookId, ct);
        if (book is null)
        {
            return Problems.BookNotFound();
        }
        var now = time.GetUtcNow();
        var id = Ids.New();
        var size = request.SizeBytes!.Value;
        var inParts = request.Multipart == true || size > settings.MultipartThresholdBytes;
        var upload = new PendingUpload(book.Id, id, fileName.Name, contentType, size, title,
            AudioStore.ChapterKey(book.Id, id, fileName.Extension), now, now + (inParts ? settings.MultipartLifetime : settings.UrlLifetime))
        { Reserved = true };
        if (await usage.ReserveUploadAsync(book.OwnerId, id, size, upload.ExpiresAt + ChapterStore.KeepUploadRecordsAfterExpiry, ct) is { } refusal)
        {
            return refusal.ToProblem();
        }
        var location = $"/api/v1/books/{book.Id}/uploads/{id}";
        try
        {
            if (inParts)
            {
                var plan = MultipartPlan.For(size, settings.PartSizeBytes);
                upload = upload with { Multipart = new MultipartUpload(await audio.StartMultipartAsync(upload.ObjectKey, contentType, ct), plan) };
                await chapters.PutUploadAsync(upload, ct);
                return TypedResults.Created(location, new MultipartUploadTicket(id, "MULTIPART", plan.PartSizeBytes, plan.PartCount, upload.ExpiresAt));
            }
            await chapters.PutUploadAsync(upload, ct);
        }
        catch
        {
            // Nothing was handed out: the reservation goes (an S3 upload started stays for the lifecycle rule).
            await usage.ReleaseUploadAsync(book.OwnerId, id, size, CancellationToken.None);
            throw;
        }

        var (url, headers) = audio.PresignUpload(upload.ObjectKey, contentType, upload.SizeBytes, upload.ExpiresAt);
        var ticket = new UploadTicket(id, url, "PUT", headers, upload.ExpiresAt);
        return TypedResults.Created(location, ticket);
    }

    public static async Task<Results<Created<ChapterResponse>, ProblemHttpResult>> Complete(
        string bookId, string uploadId, HttpContext context, UploadCompletion completion, CancellationToken ct)
    {
        return await completion.CompleteAsync(context.User.UserId(), bookId, uploadId, ct) switch
        {
            CompletionOutcome.Completed done => TypedResults.Created($"/api/v1/books/{bookId}/chapters/{done.Chapter.Id}", done.Chapter.ToResponse()),
            CompletionOutcome.Rejected rejected => TypedResults.Problem(statusCode: rejected.Status, title: rejected.Title, detail: rejected.Detail,
                extensions: new Dictionary<string, object?>(rejected.Extensions ?? new Dictionary<string, object?>()) { ["reason"] = rejected.Reason }),
            CompletionOutcome.NotFound { Book: true } => Problems.BookNotFound(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "There is no pending upload with this id (it expired, or was rejected and must be started again)."),
        };
    }

    /// <summary>
    /// Removes a pending upload and its object. A completed upload is a chapter (409: delete the chapter);
    /// an abort racing a completion loses or wins as a whole (<see cref="ChapterStore.TryAbortUploadAsync"/>).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Abort(
        string bookId, string uploadId, HttpContext context, BookStore books, ChapterStore chapters, AudioStore audio, UsageStore usage, CancellationToken ct)
    {
        if (await books.GetAsync(context.User.UserId(), bookId, ct) is not { } book)
        {
            return Problems.BookNotFound();
        }
        var upload = await chapters.GetUploadAsync(bookId, uploadId, ct);
        if (upload is not null && await chapters.TryAbortUploadAsync(bookId, uploadId, ct))
        {
            if (upload.Multipart is { } multipart)
            {
                await audio.AbortMultipartAsync(upload.ObjectKey, multipart.StorageUploadId, ct);
            }
            // A multipart upload may have been assembled already by a completion that lost to this abort.
            await audio.DeleteAsync(upload.ObjectKey, ct);
            if (upload.Reserved)
            {
                await usage.ReleaseUploadAsync(book.OwnerId, upload.Id, upload.SizeBytes, ct);
            }
            return TypedResults.NoContent();
        }
        return await chapters.GetChapterAsync(bookId, uploadId, ct) is not null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Upload completed",
                detail: "This upload is a chapter already; delete the chapter to remove it.")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "There is no pending upload with this id.");
    }

    /// <summary>".m4a and .mp4", ".m4a, .mp4 and .m4b".</summary>
    private static string InWords(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    private static ProblemHttpResult Unsupported(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported file type", detail: detail);
}
