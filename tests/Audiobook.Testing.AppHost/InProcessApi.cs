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
    private static readonly Lock EnvironmentLock = new();

    public static WebApplicationFactory<Audiobook.Api.ApiAssembly> Create(
        AppHostFixture apphost, string environment, IReadOnlyDictionary<string, string>? settings = null, WebApplicationFactory<Audiobook.Api.ApiAssembly>? factory = null)
    {
        // The AWS SDK reads its endpoint and credentials from the process environment, as on Lambda.
        lock (EnvironmentLock)
        {
            foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
            {
                // A role's session (the production-like function) has a token; the emulator's owner has none.
                Environment.SetEnvironmentVariable(name, apphost.ApiEnvironment.GetValueOrDefault(name));
            }
        }
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
            web.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            web.UseSetting("AllowedHosts", "localhost");
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(name, value);
            }
        });
    }
}
