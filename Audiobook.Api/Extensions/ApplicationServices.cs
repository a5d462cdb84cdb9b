using Audiobook.Api.Http;
using Audiobook.Api.Startup;
using Microsoft.AspNetCore.HttpOverrides;

namespace Audiobook.Api.Extensions;

public static class ApplicationServices
{
    /// <summary>JSON requests are small; audio never passes through the API.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>
    /// What every feature relies on: the clock, web security (CORS, HSTS, headers), problem details for every
    /// failure, the source-generated JSON contract, request limits, the proxy in front, the id route constraint
    /// and the development-only API reference. Each feature registers itself (<c>AddX</c> next to its
    /// <c>MapXApi</c>); Program.cs lists them.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddWebSecurity();
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
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
