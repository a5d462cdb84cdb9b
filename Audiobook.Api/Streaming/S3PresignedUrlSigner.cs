using Amazon.S3.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>
/// Stream URLs as S3 presigned GETs: the local default, and the production fallback without
/// CloudFront. Signed once per chapter and time bucket, like CloudFront's.
/// </summary>
public sealed class S3PresignedUrlSigner(AudioStore audio, IOptions<StreamingOptions> options, TimeProvider time) : IStreamUrlSigner
{
    private readonly TimeBucketedUrls urls = new(options, time);

    public string Name => "s3";

    public SignedUrl Sign(StreamTarget target) => urls.GetOrSign(target, (target, expires) =>
    {
        var overrides = new ResponseHeaderOverrides { ContentType = target.ContentType };
        if (target.DownloadFileName is not null)
        {
            overrides.ContentDisposition = ContentDisposition.Attachment(target.DownloadFileName);
        }
        return audio.PresignDownload(target.ObjectKey, expires, overrides);
    });
}
