using System.Text.RegularExpressions;
using Audiobook.Load;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Audiobook.Bench;

/// <summary>The real AppHost (moto, provisioned from aws/data.yaml), as `dotnet run --project Audiobook.AppHost` starts it.</summary>
public sealed partial class BenchAppHost : IAsyncDisposable
{
    private BenchAppHost(DistributedApplication app, IReadOnlyDictionary<string, string> apiEnvironment)
    {
        App = app;
        ApiEnvironment = apiEnvironment;
    }

    public DistributedApplication App { get; }

    /// <summary>What the AppHost gives the API: emulator endpoint, bucket, tables, secrets path.</summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment { get; }

    public Uri Api => App.GetEndpoint("api", "http");

    public static async Task<BenchAppHost> StartAsync(CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Audiobook_AppHost>(
            ["LocalAws:Emulator=moto"], (options, _) => options.DisableDashboard = true, ct);
        // The emulator's request log is not what a benchmark reader wants on the console.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Audiobook.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }
        var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
        var api = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "api");
        var configuration = await ExecutionConfigurationBuilder.Create(api)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, ct);
        return new BenchAppHost(app, configuration.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>
    /// The runtime settings (DOTNET_*) aws/service.yaml gives the function, read from the template so
    /// the bench cannot drift from it. The bare API gets them too: a start-up ratio compares the apps alone.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LambdaRuntimeSettings = RuntimeSettingsOfTemplate();

    private static Dictionary<string, string> RuntimeSettingsOfTemplate()
    {
        var template = File.ReadAllText(Repository.File("aws", "service.yaml"));
        var settings = RuntimeSetting().Matches(template).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        return settings.Count > 0 ? settings : throw new InvalidOperationException("aws/service.yaml sets no DOTNET_* variable: the bench reads them from there.");
    }

    [GeneratedRegex("""^\s+(?<name>DOTNET_\w+): "(?<value>[^"]*)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex RuntimeSetting();

    /// <summary>The API's settings for a process of our own, as on Lambda: Production, AWS endpoint, secrets from SSM.</summary>
    public Dictionary<string, string> ProductionApiEnvironment(bool cloudFront)
    {
        var environment = ApiProcess.ProductionSettings(ApiEnvironment);
        environment["Logging__LogLevel__Default"] = "Information";
        foreach (var (name, value) in LambdaRuntimeSettings)
        {
            environment[name] = value;
        }
        if (cloudFront)
        {
            // As the production-like profile: the key pair in slot A that provisioning generated into SSM.
            environment["CloudFront__Domain"] = "media.audiobook.localhost";
            environment["CloudFront__KeyPairId"] = "KLOCALAUDIOBOOK1";
            environment["CloudFront__KeySlot"] = "A";
        }
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
