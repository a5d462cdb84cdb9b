// The production-like profile's stand-in for the CloudFront distribution of aws/service.yaml, on
// YARP: every viewer request must carry a valid signed URL for a key of the distribution's key group
// (else CloudFront's 403), and is then served from the private bucket as Origin Access Control reads
// it — Range and all — with the distribution's response headers policy.
using System.Net;
using System.Text;
using Amazon.S3;
using Audiobook.LocalCloudFront;
using Audiobook.LocalCloudFront.SignedUrls;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EdgeOptions>>().Value);
builder.Services.AddSingleton(sp => new KeyGroup(sp.GetRequiredService<EdgeOptions>().KeyGroup.Select(k => (k.Id, k.PublicKey))));
// The SDK reads the endpoint, the Region and the role session's credentials from the environment.
builder.Services.AddSingleton<IAmazonS3>(_ => new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true }));
builder.Services.AddSingleton<ResponseHeadersPolicy>();
builder.Services.AddSingleton<OriginRequests>();
builder.Services.AddHttpForwarder();

var app = builder.Build();
var origin = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var keys = app.Services.GetRequiredService<KeyGroup>();
var options = app.Services.GetRequiredService<EdgeOptions>();
var policy = app.Services.GetRequiredService<ResponseHeadersPolicy>();
var transformer = app.Services.GetRequiredService<OriginRequests>();
var clock = app.Services.GetService<TimeProvider>() ?? TimeProvider.System;

app.Run(async context =>
{
    var request = context.Request;
    var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
    var (rawPath, rawQuery) = rawTarget.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? (rawTarget[..at], rawTarget[at..]) : (rawTarget, "");
    var verdict = SignedUrlCheck.Check(
        new ViewerRequest(options.ViewerScheme, request.Host.Value!, rawPath, rawQuery, context.Connection.RemoteIpAddress),
        keys, clock.GetUtcNow());
    if (verdict is Verdict.Denied denied)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/xml";
        policy.Apply(context);
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{denied.Code}</Code><Message>{WebUtility.HtmlEncode(denied.Message)}</Message></Error>", Encoding.UTF8);
        return;
    }
    if (policy.IsPreflight(request))
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        policy.Apply(context);
        return;
    }
    if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
    {
        // The behaviour allows GET, HEAD and OPTIONS only.
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>MethodNotAllowed</Code><Message>This distribution is not configured to allow the HTTP request method that was used for this request.</Message></Error>");
        return;
    }
    context.Items[OriginRequests.ForwardedQueryItem] = ((Verdict.Allowed)verdict).Query;
    await forwarder.SendAsync(context, "http://origin.invalid/", origin, ForwarderRequestConfig.Empty, transformer);
});

app.Run();
