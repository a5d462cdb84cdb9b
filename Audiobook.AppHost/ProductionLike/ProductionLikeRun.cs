using Audiobook.AppHost.Demo;
using Audiobook.AppHost.LocalAws;
using Microsoft.Extensions.Configuration;

namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// <c>LocalRun:ApiEnvironment=Production</c> (the "production-like" launch profile): production, run
/// from its own definition against the emulator. The function is the Lambda package aws/package.sh
/// builds, started by its run.sh with the environment aws/service.yaml gives it, under a session of the
/// template's ApiRole (which the emulator enforces); requests reach it through a stand-in for the HTTP
/// API (http://localhost:5080, like the API in the default profile), and its signed stream URLs are
/// served by a stand-in for the CloudFront distribution that checks them as CloudFront does.
/// </summary>
public static class ProductionLikeRun
{
    public const string Setting = "LocalRun:ApiEnvironment";

    /// <summary>Web origins of a separately hosted web app, as aws/deploy.sh --web-origin takes them (comma-separated).</summary>
    public const string WebOriginsSetting = "LocalRun:WebOrigins";

    /// <summary>Where the Lambda package is kept between runs (built again only when its sources change).</summary>
    public const string PackageDirectorySetting = "LocalRun:PackageDirectory";

    public static bool IsOn(IConfiguration configuration) =>
        string.Equals(configuration[Setting], "Production", StringComparison.OrdinalIgnoreCase);

    public static void AddProductionLike(this IDistributedApplicationBuilder builder, AwsTarget aws)
    {
        if (!aws.IsEmulator)
        {
            throw new DistributedApplicationException("The production-like profile runs against the local emulator (LocalAws:Target=emulator).");
        }
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var packageDirectory = Path.GetFullPath(builder.Configuration[PackageDirectorySetting] ?? Path.Combine(repository, ".artifacts", "production-like"));
        var webOrigins = (builder.Configuration[WebOriginsSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Not behind Aspire's proxy: like API Gateway and CloudFront, each sees its caller's own address.
        var gateway = builder.AddProject<Projects.Audiobook_LocalApiGateway>("gateway").WithDirectEndpoint(builder.Configuration);
        var cdn = builder.AddProject<Projects.Audiobook_LocalCloudFront>("cdn").WithDirectEndpoint(builder.Configuration);
        var cdnEndpoint = cdn.GetEndpoint("http");

        // The web player is served by the API through the gateway: the bucket's CORS admits that origin.
        var provisioning = builder.AddDataProvisioning("provision", aws, webOrigin: gateway.GetEndpoint("http"), webOrigins);
        var stack = LocalServiceStack.Add(builder, "service", aws, provisioning, () => cdnEndpoint.Port, webOrigins);
        var package = builder.AddLambdaPackage("package", packageDirectory);
        var function = builder.AddLambdaFunction("api", packageDirectory, package, stack, aws);

        gateway
            .WithEnvironment(async context =>
            {
                foreach (var (name, value) in await stack.GatewaySettingsAsync(context.CancellationToken))
                {
                    context.EnvironmentVariables[name] = value;
                }
                context.EnvironmentVariables["Gateway__Function"] = $"http://127.0.0.1:{function.GetEndpoint("http").Port}";
            })
            .WaitFor(function)
            .WithHttpHealthCheck("/health")
            .WithDemoSeedCommand(builder.AppHostDirectory);

        cdn
            .WithEnvironment(async context =>
            {
                foreach (var (name, value) in await stack.EdgeSettingsAsync(context.CancellationToken))
                {
                    context.EnvironmentVariables[name] = value;
                }
                foreach (var (name, value) in await stack.CredentialsAsync("cdn", context.CancellationToken))
                {
                    context.EnvironmentVariables[name] = value;
                }
            })
            .WaitForCompletion(stack.Resource)
            // An unsigned request is refused: the edge is up and checking signatures.
            .WithHttpHealthCheck("/", statusCode: 403);
        aws.Configure(cdn, emulatorCredentials: false);

        builder.AddLifecycleSweep("lifecycle", aws, provisioning);
        aws.Emulator!.WithResetDataCommand([provisioning.Resource.Resource, stack.Resource.Resource], [function.Resource, cdn.Resource, gateway.Resource]);
    }
}
