using System.Collections.Concurrent;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using YamlDotNet.RepresentationModel;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// The function's environment is aws/service.yaml's, and the API reads every setting of it in the form
/// the template writes it: a variable the API ignores, or reads in another form (a comma-joined list
/// bound as an array), is a production defect no other local test would see.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class FunctionEnvironmentTests(ProductionLikeAppHost production)
{
    /// <summary>
    /// What a single machine cannot take from the template, and nothing else: where the process listens
    /// (Lambda gives each instance port 8080), the emulator, the role session's credentials (Lambda's
    /// runtime sets them), the local edge's scheme and the emulator's path-style bucket addresses, and
    /// the dashboard's telemetry (Aspire's OTEL_ variables, in place of the collector layer).
    /// </summary>
    private static readonly HashSet<string> LocalOverrides =
    [
        "ASPNETCORE_URLS", "AWS_LWA_PORT", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CloudFront__Scheme", "Storage__ForcePathStyle",
    ];

    private AppHostFixture Host => production.Host;

    private static bool IsLocalOverride(string variable) => LocalOverrides.Contains(variable) || variable.StartsWith("OTEL_", StringComparison.Ordinal);

    [Fact]
    public void The_function_runs_with_the_templates_variables_and_only_the_local_overrides_besides()
    {
        var variables = TemplateVariables();
        var function = Host.ApiEnvironment;

        foreach (var (name, value) in variables)
        {
            if (value is YamlScalarNode { Tag.IsEmpty: true } literal && !IsLocalOverride(name))
            {
                Assert.True(function.TryGetValue(name, out var given) && given == literal.Value,
                    $"The template sets {name}={literal.Value}; the function got {given ?? "nothing"}.");
            }
            else if (value.Tag.IsEmpty || value.Tag.Value != "!If")
            {
                // Every unconditional variable reaches the function, resolved.
                Assert.True(function.ContainsKey(name), $"The template sets {name}; the function did not get it.");
            }
        }
        var extra = function.Keys.Where(name => !variables.ContainsKey(name) && !IsLocalOverride(name));
        Assert.Empty(extra);
        Assert.Equal($"localapi.execute-api.us-east-1.amazonaws.com;127.0.0.1", function["AllowedHosts"]);
        Assert.Equal(Host.Setting("Storage__BucketName"), function["Storage__BucketName"]);
    }

    [Fact]
    public async Task Every_setting_the_template_gives_the_function_is_read_by_the_api_as_written()
    {
        var settings = TemplateVariables().Keys
            .Where(IsApiSetting)
            .Where(Host.ApiEnvironment.ContainsKey)
            .ToDictionary(name => name.Replace("__", ":", StringComparison.Ordinal), name => Host.ApiEnvironment[name]);
        Assert.Contains("Cors:AllowedOrigins", settings.Keys);
        var reads = new ReadTracking(settings);

        // The real API (Program.cs), in process, with exactly those settings on top of everything else.
        await using (var api = InProcessApi.Create(Host, "Production", factory: new TrackedApi(reads)))
        {
            // A host the template's AllowedHosts names: the address the Lambda Web Adapter asks from.
            using var http = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://127.0.0.1") });
            await Expect(await http.GetAsync("/health", Token), System.Net.HttpStatusCode.OK);
            await Expect(await http.GetAsync("/api/v1/books", Token), System.Net.HttpStatusCode.Unauthorized);
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/books");
            preflight.Headers.Add("Origin", ProductionLikeAppHost.WebOrigin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            await Expect(await http.SendAsync(preflight, Token), System.Net.HttpStatusCode.NoContent);
        }

        Assert.All(settings.Keys, key =>
        {
            Assert.False(reads.ReadAsList(key), $"The API reads {key} as a list ({key}:0, {key}:1 …), but the template sets one value: it is ignored in AWS.");
            Assert.True(reads.ReadAsValue(key), $"The template sets {key}, which the running API never reads as one value: in AWS it changes nothing.");
        });
    }

    /// <summary>The function's variables as aws/service.yaml writes them (unresolved).</summary>
    private static Dictionary<string, YamlNode> TemplateVariables() =>
        ((YamlMappingNode)Template.Load("service.yaml").Properties("ApiFunction")["Environment"]["Variables"]).Children
            .ToDictionary(v => ((YamlScalarNode)v.Key).Value!, v => v.Value);

    /// <summary>
    /// The API's own configuration, as opposed to what the platform reads: the Lambda Web Adapter and
    /// the AWS SDK (AWS_), the .NET host (ASPNETCORE_, DOTNET_) and the telemetry exporter (OTEL_).
    /// </summary>
    private static bool IsApiSetting(string variable) =>
        !new[] { "AWS_", "ASPNETCORE_", "DOTNET_", "OTEL_", "OPENTELEMETRY_" }.Any(prefix => variable.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// The API with the tracking source on top of its configuration, from the moment its services are
    /// built: what it reads from then on (options, policies, the framework's settings, the secrets
    /// gate) is seen. A setting read only while services are registered is not: read it through
    /// options or the configuration at run time, as everything else is.
    /// </summary>
    private sealed class TrackedApi(ReadTracking reads) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Audiobook.Api.ApiAssembly>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(configuration => configuration.Add(reads));
            return base.CreateHost(builder);
        }
    }

    /// <summary>A configuration source on top of all others that records which keys the API asks it for.</summary>
    private sealed class ReadTracking(Dictionary<string, string> settings) : ConfigurationProvider, IConfigurationSource
    {
        private readonly ConcurrentDictionary<string, bool> values = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, bool> lists = new(StringComparer.OrdinalIgnoreCase);

        public bool ReadAsValue(string key) => values.ContainsKey(key);

        /// <summary>Asked for the key's children (an array or section binding) and never for its value.</summary>
        public bool ReadAsList(string key) => lists.ContainsKey(key) && !values.ContainsKey(key);

        public override void Load() => Data = new Dictionary<string, string?>(settings!, StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            values[key] = true;
            return base.TryGet(key, out value);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null)
            {
                lists[parentPath] = true;
            }
            return base.GetChildKeys(earlierKeys, parentPath);
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }
}
