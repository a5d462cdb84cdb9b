using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Http;
using Audiobook.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Uploads;

/// <summary>
/// The routes of a file sent in parts: URLs for the parts the client is about to send, and the parts
/// storage already holds, so a client that lost its state (a reload, another device) sends the rest only.
/// </summary>
public static class MultipartUploads
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public sealed record Services(
        [FromServices] BookStore Books,
        [FromServices] ChapterStore Chapters,
        [FromServices] AudioStore Audio,
        [FromServices] IOptions<UploadOptions> Options,
        [FromServices] TimeProvider Time);

    public static async Task<Results<Ok<PartUrls>, ValidationProblem, ProblemHttpResult>> SignParts(
        string bookId, string uploadId, PartUrlsRequest request, HttpContext context, [AsParameters] Services services, CancellationToken ct)
    {
        var (upload, problem) = await FindAsync(bookId, uploadId, context, services, ct);
        if (upload?.Multipart is not { } multipart)
        {
            return problem!;
        }
        var errors = new FieldErrors();
        var numbers = request.Validate(multipart.Plan, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var expires = Min(services.Time.GetUtcNow() + services.Options.Value.UrlLifetime, upload.ExpiresAt);
        var parts = numbers.Select(n =>
        {
            var size = multipart.Plan.SizeOf(n);
            return new PartUrl(n, services.Audio.PresignPart(upload.ObjectKey, multipart.StorageUploadId, n, size, expires), NoHeaders, size);
        }).ToList();
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(new PartUrls(parts, expires));
    }

    public static async Task<Results<Ok<StoredParts>, ProblemHttpResult>> ListParts(
        string bookId, string uploadId, HttpContext context, [AsParameters] Services services, CancellationToken ct)
    {
        var (upload, problem) = await FindAsync(bookId, uploadId, context, services, ct);
        if (upload?.Multipart is not { } multipart)
        {
            return problem!;
        }
        var stored = await services.Audio.ListPartsAsync(upload.ObjectKey, multipart.StorageUploadId, ct);
        if (stored is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "Storage holds no parts for this upload any more: it was completed or aborted.");
        }
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(new StoredParts([.. stored.Select(p => new StoredPartResponse(p.PartNumber, p.SizeBytes, p.ETag))],
            multipart.Plan.PartSizeBytes, multipart.Plan.PartCount));
    }

    /// <summary>The signed-in user's open multipart upload, or the problem: 404 for a missing book or upload, 409 for a single-PUT upload.</summary>
    private static async Task<(PendingUpload? Upload, ProblemHttpResult? Problem)> FindAsync(
        string bookId, string uploadId, HttpContext context, Services services, CancellationToken ct)
    {
        if (await services.Books.GetAsync(context.User.UserId(), bookId, ct) is null)
        {
            return (null, Problems.BookNotFound());
        }
        var upload = await services.Chapters.GetUploadAsync(bookId, uploadId, ct);
        if (upload is null || upload.ExpiresAt <= services.Time.GetUtcNow())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "There is no open upload with this id (it was completed, aborted, or it expired)."));
        }
        return upload.Multipart is null
            ? (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not a multipart upload",
                detail: "This upload is sent with a single PUT to its ticket's URL; it has no parts."))
            : (upload, null);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
