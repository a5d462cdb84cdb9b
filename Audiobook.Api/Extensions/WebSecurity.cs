using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Audiobook.Api.Extensions;

/// <summary>
/// Trusted hosts, CORS and the settings production cannot run without. Host filtering is the
/// framework's own (AllowedHosts); CORS admits only the configured web origins.
/// </summary>
public static class WebSecurity
{
    public const string OriginsSetting = "Cors:AllowedOrigins";

    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        RequireProductionSettings(builder);
        // A malformed origin stops start-up; the policy itself is built from the configuration when first used.
        _ = AllowedOrigins(builder.Configuration);
        var configuration = builder.Configuration;
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(new CorsPolicyBuilder()
            .WithOrigins(AllowedOrigins(configuration))
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key")
            .WithExposedHeaders("ETag", "Location", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))
            .Build()));
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>
    /// The web origins, as one comma-separated value (how aws/service.yaml can set them: a CloudFormation
    /// list becomes one environment variable) or as a list (Cors:AllowedOrigins:0, :1 … in appsettings).
    /// </summary>
    public static string[] AllowedOrigins(IConfiguration configuration)
    {
        var section = configuration.GetSection(OriginsSetting);
        var listed = section.Value is { } joined ? joined.Split(',') : section.GetChildren().Select(child => child.Value ?? "");
        var origins = listed.Select(origin => origin.Trim()).Where(origin => origin.Length > 0).ToArray();
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                throw new InvalidOperationException($"{OriginsSetting} holds '{origin}', which is not an origin such as https://app.example.com.");
            }
        }
        return origins;
    }

    /// <summary>Production fails fast, naming every missing setting, rather than serving half-configured.</summary>
    private static void RequireProductionSettings(IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsProduction())
        {
            return;
        }
        var missing = new List<string>();
        var hosts = builder.Configuration["AllowedHosts"];
        if (string.IsNullOrWhiteSpace(hosts) || hosts.Trim() == "*")
        {
            missing.Add("AllowedHosts (the API's host names, e.g. api.example.com; '*' is not allowed in Production)");
        }
        if (string.IsNullOrWhiteSpace(builder.Configuration["Secrets:ParameterPath"]))
        {
            missing.Add("Secrets:ParameterPath (the SSM path of the secrets, e.g. /audiobook/production/)");
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("Production configuration is incomplete. Set: " + string.Join("; ", missing));
        }
    }
}
