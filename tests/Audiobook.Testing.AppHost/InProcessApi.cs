using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The API hosted in the test process, configured exactly as the AppHost configures it (same
/// emulator, bucket, tables and SSM path), for tests that must observe it from inside: its
/// activities, or its behaviour in another environment.
/// </summary>
public static class InProcessApi
{
    public static WebApplicationFactory<Audiobook.Api.ApiAssembly> Create(
        AppHostFixture apphost, string environment, IReadOnlyDictionary<string, string>? settings = null, WebApplicationFactory<Audiobook.Api.ApiAssembly>? factory = null)
    {
        return (factory ?? new WebApplicationFactory<Audiobook.Api.ApiAssembly>()).WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            foreach (var (name, value) in apphost.ApiEnvironment)
            {
                if (name.Contains("__", StringComparison.Ordinal))
                {
                    web.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
                }
            }
            // Where the AWS clients connect and as whom, as the AppHost tells the API: a role's session
            // (the production-like function) has a token, the emulator's owner none.
            foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
            {
                web.UseSetting(name, apphost.ApiEnvironment.GetValueOrDefault(name) ?? "");
            }
            web.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            web.UseSetting("AllowedHosts", "localhost");
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(name, value);
            }
        });
    }
}
