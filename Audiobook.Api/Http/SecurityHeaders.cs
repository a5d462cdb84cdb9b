using Amazon.S3;
using Audiobook.Api.Storage;
using Audiobook.Api.Streaming;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Http;

/// <summary>
/// Security headers on every response, and a strict Content-Security-Policy: the web player loads
/// only its own scripts and styles (no inline code), talks only to the API and to audio storage
/// (presigned uploads, signed streams), and cannot be framed.
/// </summary>
public sealed class SecurityHeaders : IMiddleware
{
    private readonly string policy;

    public SecurityHeaders(IAmazonS3 s3, IOptions<StorageOptions> storage, IConfiguration configuration)
    {
        var origins = StorageOrigins(s3, storage.Value, configuration);
        policy = string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            $"img-src 'self' data: {origins}",
            $"connect-src 'self' {origins}",
            $"media-src {origins}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    public string Policy => policy;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The development-only API reference UI brings its own inline script.
        if (!context.Request.Path.StartsWithSegments("/scalar"))
        {
            headers.ContentSecurityPolicy = policy;
        }
        return next(context);
    }

    /// <summary>Where audio is uploaded to and streamed from: the S3 endpoint (or AWS's), and CloudFront.</summary>
    private static string StorageOrigins(IAmazonS3 s3, StorageOptions storage, IConfiguration configuration)
    {
        var origins = new List<string>();
        if (Uri.TryCreate(s3.Config.ServiceURL, UriKind.Absolute, out var endpoint))
        {
            origins.Add(endpoint.GetLeftPart(UriPartial.Authority));
        }
        else
        {
            // This deployment's bucket only, as presigned URLs name it (virtual-hosted style), not every bucket of the Region.
            var region = s3.Config.RegionEndpoint?.SystemName ?? "us-east-1";
            origins.Add($"https://{storage.BucketName}.s3.{region}.amazonaws.com");
        }
        if (configuration[$"{CloudFrontOptions.Section}:{nameof(CloudFrontOptions.Domain)}"] is { Length: > 0 } cdn)
        {
            origins.Add($"{configuration[$"{CloudFrontOptions.Section}:{nameof(CloudFrontOptions.Scheme)}"] ?? "https"}://{cdn}");
        }
        return string.Join(' ', origins);
    }
}
