using Audiobook.Api.Chapters;
using Audiobook.Api.Http;

namespace Audiobook.Api.Uploads;

public sealed record CreateUploadRequest(string? FileName, string? ContentType, long? SizeBytes, string? Title)
{
    /// <summary>The chapter's title as stored (null: from the file) and its file name, normalised; what is wrong goes to <paramref name="errors"/>.</summary>
    public (string? Title, NormalizedFileName? FileName) Validate(FieldErrors errors)
    {
        var title = errors.Field("title", Title, Chapter.MaxTitle);
        var fileName = FileNames.Normalize(FileName);
        if (fileName is null || FileName!.Length > 4096)
        {
            errors.Add("fileName", "fileName must be a file name such as chapter-01.m4a.");
        }
        if (SizeBytes is null or <= 0)
        {
            errors.Add("sizeBytes", "sizeBytes must be the file's size in bytes, more than 0.");
        }
        return (title, fileName);
    }
}

public sealed record UploadTicket(string UploadId, string Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);
