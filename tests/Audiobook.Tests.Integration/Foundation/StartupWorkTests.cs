using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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

    private static WebApplicationFactory<Audiobook.Api.ApiAssembly> Api() =>
        new WebApplicationFactory<Audiobook.Api.ApiAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Staging");
            foreach (var (name, value) in ConfigurationValidationTests.Valid)
            {
                web.UseSetting(name, value);
            }
        });
}
