using Amazon.S3;
using Amazon.S3.Model;
using Yarp.ReverseProxy.Forwarder;

namespace Audiobook.LocalCloudFront;

/// <summary>
/// What the edge sends the bucket, as Origin Access Control sends it: a request SigV4-signed with the
/// distribution's own identity (here a session of a role holding exactly what the bucket policy grants
/// CloudFront), for the object the viewer's path names, carrying only the viewer's Range and
/// conditional headers and only the query strings the cache policy forwards. The answer goes back
/// with the response headers policy applied and CloudFront's Via and X-Cache.
/// </summary>
public sealed class OriginRequests(IAmazonS3 s3, EdgeOptions options, ResponseHeadersPolicy headersPolicy) : HttpTransformer
{
    private static readonly string[] ViewerHeaders = ["Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"];

    /// <summary>Set by the edge for each request: the query strings left once the signature was checked.</summary>
    public const string ForwardedQueryItem = "audiobook.forwarded-query";

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var query = (IReadOnlyList<KeyValuePair<string, string>>)httpContext.Items[ForwardedQueryItem]!;
        var overrides = new ResponseHeaderOverrides();
        foreach (var (name, value) in query.Where(p => options.ForwardedQueryStrings.Contains(p.Key, StringComparer.Ordinal)))
        {
            switch (name)
            {
                case "response-content-disposition": overrides.ContentDisposition = value; break;
                case "response-content-type": overrides.ContentType = value; break;
                case "response-cache-control": overrides.CacheControl = value; break;
                case "response-content-language": overrides.ContentLanguage = value; break;
                case "response-content-encoding": overrides.ContentEncoding = value; break;
                case "response-expires": overrides.Expires = value; break;
                default: break; // S3 ignores query strings it does not know.
            }
        }
        var key = Uri.UnescapeDataString(httpContext.Request.Path.Value!.TrimStart('/'));
        proxyRequest.Method = HttpMethods.IsHead(httpContext.Request.Method) ? HttpMethod.Head : HttpMethod.Get;
        proxyRequest.RequestUri = new Uri(s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = options.OriginBucket,
            Key = key,
            Verb = proxyRequest.Method == HttpMethod.Head ? HttpVerb.HEAD : HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
            ResponseHeaderOverrides = overrides,
        }));
        proxyRequest.Version = System.Net.HttpVersion.Version11;
        foreach (var name in ViewerHeaders)
        {
            if (httpContext.Request.Headers.TryGetValue(name, out var value))
            {
                proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!);
            }
        }
        return ValueTask.CompletedTask;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var headers = httpContext.Response.Headers;
        foreach (var name in headers.Keys.Where(n => n.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) || n.Equals("Server", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }
        headers.Via = "1.1 local-edge.cloudfront.net (CloudFront)";
        headers["X-Cache"] = "Miss from cloudfront";
        headersPolicy.Apply(httpContext);
        return proceed;
    }
}
