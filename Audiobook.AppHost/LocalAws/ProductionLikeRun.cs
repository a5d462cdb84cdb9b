using Microsoft.Extensions.Configuration;

namespace Audiobook.AppHost.LocalAws;

/// <summary>
/// <c>LocalRun:ApiEnvironment=Production</c> (the "production-like" launch profile) runs the API as
/// it runs on Lambda — Production environment, trusted hosts, CORS for a web origin, CloudFront
/// signed stream URLs with a locally generated key pair from SSM — against the local emulator.
/// </summary>
public static class ProductionLikeRun
{
    public const string Setting = "LocalRun:ApiEnvironment";
    public const string WebOriginSetting = "LocalRun:WebOrigin";

    /// <summary>A stand-in distribution domain: URLs are signed for it, nothing serves it locally.</summary>
    public const string CloudFrontDomain = "media.audiobook.localhost";
    public const string KeyPairId = "KLOCALAUDIOBOOK1";

    /// <summary>Trusted host names: loopback, and a stand-in for the API Gateway domain.</summary>
    public const string ApiHost = "api.audiobook.localhost";

    public static bool IsOn(IConfiguration configuration) =>
        string.Equals(configuration[Setting], "Production", StringComparison.OrdinalIgnoreCase);

    public static IResourceBuilder<ProjectResource> WithProductionSettings(this IResourceBuilder<ProjectResource> api, IConfiguration configuration) =>
        api.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production")
            .WithEnvironment("AllowedHosts", $"localhost;127.0.0.1;{ApiHost}")
            .WithEnvironment("Cors__AllowedOrigins__0", configuration[WebOriginSetting] ?? "http://localhost:5173")
            .WithEnvironment("CloudFront__Domain", CloudFrontDomain)
            .WithEnvironment("CloudFront__KeyPairId", KeyPairId)
            .WithEnvironment("CloudFront__KeySlot", "A");
}
