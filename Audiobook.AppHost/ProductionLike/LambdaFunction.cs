using System.Net;
using Audiobook.AppHost.LocalAws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// The function as Lambda runs it: the package aws/package.sh builds (the API's Native AOT executable),
/// unpacked, started by its run.sh with the environment aws/service.yaml gives ApiFunction, under the
/// credentials of a session of its role, and ready when the Lambda Web Adapter's readiness check would say so.
/// </summary>
public static class LambdaFunction
{
    /// <summary>Builds the package when it is missing or older than its sources (the dashboard's log says which), and unpacks it.</summary>
    public static IResourceBuilder<ExecutableResource> AddLambdaPackage(this IDistributedApplicationBuilder builder, string name, string directory) =>
        builder.AddExecutable(name, "bash", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")),
            Path.Combine("Audiobook.AppHost", "ProductionLike", "lambda_task.sh"), "--output", directory);

    public static IResourceBuilder<ExecutableResource> AddLambdaFunction(
        this IDistributedApplicationBuilder builder, string name, string packageDirectory,
        IResourceBuilder<ExecutableResource> package, LocalServiceStack stack, AwsTarget target)
    {
        var task = Path.Combine(packageDirectory, "task");
        // Lambda gives each instance port 8080 to itself; on one machine the function takes a free one.
        var port = LocalPorts.Free();
        var function = builder.AddExecutable(name, Path.Combine(task, "run.sh"), task)
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            .WaitForCompletion(package)
            .WaitForCompletion(stack.Resource)
            .WithEnvironment(async context =>
            {
                var ct = context.CancellationToken;
                foreach (var (variable, value) in await stack.FunctionEnvironmentAsync(ct))
                {
                    context.EnvironmentVariables[variable] = value;
                }
                // What one machine cannot take from the template: where the process listens, the
                // emulator for AWS, and a role session's credentials (Lambda's runtime sets those).
                context.EnvironmentVariables["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
                context.EnvironmentVariables["AWS_LWA_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var (variable, value) in await stack.CredentialsAsync("api", ct))
                {
                    context.EnvironmentVariables[variable] = value;
                }
                // The local edge has no certificate; the emulator no per-bucket host names.
                context.EnvironmentVariables["CloudFront__Scheme"] = "http";
                context.EnvironmentVariables["Storage__ForcePathStyle"] = "true";
            });
        target.Configure(function, emulatorCredentials: false);
        function.WithOtlpExporter();

        var readiness = $"{name}-lambda-readiness";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(readiness,
            _ => new ReadinessCheck(port, stack), failureStatus: null, tags: null));
        return function.WithHealthCheck(readiness);
    }

    /// <summary>
    /// The Lambda Web Adapter's readiness check: GET http://127.0.0.1:PORT{AWS_LWA_READINESS_CHECK_PATH}
    /// as the adapter sends it (Host: 127.0.0.1:PORT). The adapter takes any answer below 500 as
    /// ready; this takes only a 200, so an API that refuses its own adapter fails here first.
    /// </summary>
    private sealed class ReadinessCheck(int port, LocalServiceStack stack) : IHealthCheck
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

        private string? path;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            path ??= (await stack.FunctionEnvironmentAsync(cancellationToken))["AWS_LWA_READINESS_CHECK_PATH"];
            try
            {
                using var answer = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"), cancellationToken);
                return answer.StatusCode == HttpStatusCode.OK
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"The adapter's readiness check {path} answered {(int)answer.StatusCode}, not 200.");
            }
            catch (HttpRequestException ex)
            {
                return HealthCheckResult.Unhealthy($"Not listening on port {port} yet.", ex);
            }
        }
    }
}
