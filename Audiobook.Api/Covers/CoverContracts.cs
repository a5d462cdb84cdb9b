using Audiobook.Api.Http;

namespace Audiobook.Api.Covers;

/// <summary>What the client is about to upload as a book's cover: a JPEG or PNG of at most 10 MB.</summary>
public sealed record CreateCoverRequest(string? ContentType, long? SizeBytes)
{
    /// <summary>The declared size in bytes (0 when it is not one, and then <paramref name="errors"/> says so).</summary>
    public long Validate(FieldErrors errors)
    {
        if (SizeBytes is not > 0)
        {
            errors.Add("sizeBytes", "sizeBytes must be the picture's size in bytes, more than 0.");
            return 0;
        }
        return SizeBytes.Value;
    }
}
