namespace Audiobook.LocalCloudFront;

/// <summary>
/// The distribution's response headers policy, applied to every answer as CloudFront applies it,
/// overriding what the origin sent: CORS for the configured web origins (and preflights answered by
/// the edge), Strict-Transport-Security and X-Content-Type-Options.
/// </summary>
public sealed class ResponseHeadersPolicy(EdgeOptions options)
{
    public bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");

    public void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (options.StrictTransportSecurity is { Length: > 0 } hsts)
        {
            headers.StrictTransportSecurity = hsts;
        }
        if (options.ContentTypeOptions)
        {
            headers.XContentTypeOptions = "nosniff";
        }
        if (options.Cors is not { } cors)
        {
            return;
        }
        foreach (var name in new[] { "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
                     "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Access-Control-Allow-Credentials" })
        {
            headers.Remove(name);
        }
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !(cors.AllowedOrigins.Contains("*") || cors.AllowedOrigins.Contains(origin, StringComparer.Ordinal)))
        {
            return;
        }
        headers.AccessControlAllowOrigin = cors.AllowedOrigins.Contains("*") ? "*" : origin;
        headers.Vary = "Origin";
        if (cors.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
        if (IsPreflight(context.Request))
        {
            headers.AccessControlAllowMethods = string.Join(", ", cors.AllowedMethods);
            headers.AccessControlAllowHeaders = string.Join(", ", cors.AllowedHeaders);
            headers.AccessControlMaxAge = cors.MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (cors.ExposedHeaders.Count > 0)
        {
            headers.AccessControlExposeHeaders = string.Join(", ", cors.ExposedHeaders);
        }
    }
}
