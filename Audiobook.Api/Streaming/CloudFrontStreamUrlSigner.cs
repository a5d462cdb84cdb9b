using Microsoft.Extensions.Options;

namespace Audiobook.Api.Streaming;

/// <summary>Stream URLs signed for CloudFront (production), one RSA signature per chapter and time bucket.</summary>
public sealed class CloudFrontStreamUrlSigner : IStreamUrlSigner, IDisposable
{
    private readonly CloudFrontOptions options;
    private readonly TimeBucketedUrls urls;
    private readonly CloudFrontUrlSigner signer;

    public CloudFrontStreamUrlSigner(IOptions<CloudFrontOptions> cloudFront, IOptions<StreamingOptions> streaming, TimeProvider time)
    {
        options = cloudFront.Value;
        urls = new TimeBucketedUrls(streaming, time);
        signer = new CloudFrontUrlSigner(options.KeyPairId, options.ActivePrivateKey, options.HashAlgorithm);
    }

    public string Name => "cloudfront";

    public SignedUrl Sign(StreamTarget target) => urls.GetOrSign(target, (target, expires) =>
    {
        var url = $"{options.BaseUrl}/{string.Join('/', target.ObjectKey.Split('/').Select(Uri.EscapeDataString))}";
        if (target.DownloadFileName is not null)
        {
            url += "?response-content-disposition=" + Uri.EscapeDataString(ContentDisposition.Attachment(target.DownloadFileName));
        }
        return signer.SignCanned(url, expires);
    });

    public void Dispose() => signer.Dispose();
}
