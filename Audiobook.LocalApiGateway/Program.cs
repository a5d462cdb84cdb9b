// The production-like profile's stand-in for the HTTP API of aws/service.yaml, on YARP: every request
// reaches the function as API Gateway and the Lambda Web Adapter deliver it — for the API's domain
// (Host), over https (X-Forwarded-Proto), from the caller's address appended to whatever
// X-Forwarded-For the caller sent — within the stage's throttling and the integration's timeout.
using Audiobook.LocalApiGateway;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
builder.Services.AddHttpForwarder();
builder.Services.AddStageThrottling(gateway);

var app = builder.Build();
var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;

app.UseRateLimiter();
app.Use(async (context, next) =>
{
    await next(context);
    // The function did not answer: API Gateway's own answer, as for a Lambda that timed out or failed.
    if (context.GetForwarderErrorFeature() is { } failure && !context.Response.HasStarted)
    {
        var timedOut = failure.Error is ForwarderError.RequestTimedOut;
        await GatewayAnswers.WriteAsync(context, timedOut ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            timedOut ? "Service Unavailable" : "Internal Server Error", context.RequestAborted);
    }
});
app.MapForwarder("/{**path}", options.Function!.ToString(), new ForwarderRequestConfig { ActivityTimeout = options.IntegrationTimeout }, transforms =>
{
    transforms.UseDefaultForwarders = false;
    // API Gateway appends the caller's address to the list the caller sent; only that last entry is known true.
    transforms.AddXForwardedFor(action: ForwardedTransformActions.Append);
    transforms.AddRequestTransform(forwarded =>
    {
        forwarded.ProxyRequest.Headers.Host = options.ApiHost;
        forwarded.ProxyRequest.Headers.Remove("X-Forwarded-Proto");
        forwarded.ProxyRequest.Headers.Remove("X-Forwarded-Port");
        forwarded.ProxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        forwarded.ProxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Port", "443");
        return ValueTask.CompletedTask;
    });
});

app.Run();
