using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Covers;
using Audiobook.Api.Http;
using Audiobook.Api.Progress;
using Audiobook.Api.Storage;
using Audiobook.Api.Streaming;
using Audiobook.Api.Telemetry;
using Audiobook.Api.Uploads;
using Microsoft.AspNetCore.HttpOverrides;

namespace Audiobook.Api.Extensions;

public static class ApplicationServices
{
    /// <summary>JSON requests are small; audio never passes through the API.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Everything the API registers, in one place, so Program.cs stays a table of contents.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddWebSecurity();
        builder.AddAudiobookStorage();
        builder.AddAudiobookAuthentication();
        builder.AddStreaming();

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AudiobookMetrics>();
        services.AddOptions<EmfOptions>().BindConfiguration(EmfOptions.Section).ValidateWith<EmfOptions, EmfOptionsValidator>().ValidateOnStart();
        services.AddSingleton<EmfMetrics>();

        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateWith<UploadOptions, UploadOptionsValidator>().ValidateOnStart();

        services.AddSingleton<BookStore>();
        services.AddSingleton<PageCursor>();
        services.AddSingleton<BookDeletion>();
        services.AddSingleton<ChapterStore>();
        services.AddSingleton<ProgressStore>();
        services.AddSingleton<UploadCompletion>();
        services.AddSingleton<CoverUploads>();
        services.AddSingleton<SecurityHeaders>();

        // Malformed input is the client's 400/413/415, described in problem details, never a 500.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemDefaults.Customize);
        services.AddExceptionHandler<ExceptionProblems>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));

        // Only the proxy in front, over loopback (the Lambda Web Adapter relaying API Gateway in AWS; the
        // local gateway or Aspire's proxy here), is believed, and only its own, last entry: what a client
        // wrote into X-Forwarded-For before it is not the client's address (Http/ClientAddress.cs).
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            forwarded.KnownProxies.Add(System.Net.IPAddress.Loopback);
            forwarded.KnownProxies.Add(System.Net.IPAddress.IPv6Loopback);
        });

        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<IdRouteConstraint>(IdRouteConstraint.Name));
        services.AddApiReference();
        return builder;
    }
}
