namespace Audiobook.Api.Streaming;

public sealed record SignedUrl(string Url, DateTimeOffset ExpiresAt);

/// <summary>What the signed URL should serve: the object, and for downloads the file name to save it as.</summary>
public sealed record StreamTarget(string ObjectKey, string ContentType, string? DownloadFileName);

/// <summary>
/// Produces the URL a player fetches audio from, with HTTP Range straight from storage. Local and
/// production differ only in which implementation configuration selects (S3 presigned or CloudFront signed).
/// </summary>
public interface IStreamUrlSigner
{
    /// <summary>A short name for metrics and logs ("s3", "cloudfront").</summary>
    string Name { get; }

    SignedUrl Sign(StreamTarget target);
}
