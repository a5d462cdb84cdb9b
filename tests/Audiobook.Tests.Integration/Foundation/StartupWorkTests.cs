using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// Start-up does no work the API has no use for: each item below cost the cold start milliseconds
/// (bench/, "Start-up"), and a framework default could bring it back unnoticed.
/// </summary>
public sealed class StartupWorkTests
{
    [Fact]
    public void No_hosted_service_loads_a_data_protection_key_ring()
    {
        using var api = Api();

        var hosted = api.Services.GetServices<IHostedService>().Select(service => service.GetType().FullName).ToList();

        Assert.NotEmpty(hosted);
        Assert.DoesNotContain(hosted, name => name!.StartsWith("Microsoft.AspNetCore.DataProtection.", StringComparison.Ordinal));
        // Data protection itself stays registered: its key ring would load on first use.
        Assert.NotNull(api.Services.GetService<IDataProtectionProvider>());
    }

    [Fact]
    public void Logs_go_to_the_console_and_OpenTelemetry_only()
    {
        using var api = Api();

        var providers = api.Services.GetServices<ILoggerProvider>().Select(provider => provider.GetType().Name).Order(StringComparer.Ordinal);

        Assert.Equal(["ConsoleLoggerProvider", "OpenTelemetryLoggerProvider"], providers);
    }

    [Fact]
    public void Nothing_registers_http_client_defaults()
    {
        using var api = Api();

        // The Aspire template's service discovery and resilience handler configure every IHttpClientFactory
        // client; the API has none (the AWS SDK makes its own).
        Assert.Null(api.Services.GetService<IHttpClientFactory>());
    }

    [Fact]
    public async Task The_endpoints_are_built_once_for_authorization_and_routing()
    {
        // Started, so the pipeline is built; storage is nowhere (port 9), which /alive does not need.
        using var api = Api(("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), ("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"));
        using var client = api.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/alive", TestContext.Current.CancellationToken)).StatusCode);

        // Each consumer (the authorization middleware's policy cache, routing) reads the app's endpoint
        // sources through a composite of its own; a minimal API's source would build its endpoints anew for each.
        var sources = ((CompositeEndpointDataSource)api.Services.GetRequiredService<EndpointDataSource>()).DataSources.ToList();
        var first = new CompositeEndpointDataSource(sources).Endpoints;
        var second = new CompositeEndpointDataSource(sources).Endpoints;

        Assert.True(first.Count > 20, $"{first.Count} endpoints");
        Assert.All(first.Zip(second), pair => Assert.Same(pair.First, pair.Second));
    }

    private static WebApplicationFactory<Audiobook.Api.ApiAssembly> Api(params (string Name, string? Value)[] settings) =>
        new WebApplicationFactory<Audiobook.Api.ApiAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Staging");
            foreach (var (name, value) in ConfigurationValidationTests.Valid.Select(s => (Name: s.Key, s.Value)).Concat(settings))
            {
                web.UseSetting(name, value);
            }
        });
}
