using Amazon.S3.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>Stream URLs as S3 presigned GETs: the local default, and the production fallback without CloudFront.</summary>
public sealed class S3PresignedUrlSigner(AudioStore audio, IOptions<StreamingOptions> options, TimeProvider time) : IStreamUrlSigner
{
    public string Name => "s3";

    public SignedUrl Sign(StreamTarget target)
    {
        var expiresAt = time.GetUtcNow() + options.Value.UrlLifetime;
        var overrides = new ResponseHeaderOverrides { ContentType = target.ContentType };
        if (target.DownloadFileName is not null)
        {
            overrides.ContentDisposition = ContentDisposition.Attachment(target.DownloadFileName);
        }
        return new SignedUrl(audio.PresignDownload(target.ObjectKey, expiresAt, overrides), expiresAt);
    }
}
