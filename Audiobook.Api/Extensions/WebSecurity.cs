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
        var origins = builder.Configuration.GetSection(OriginsSetting).Get<string[]>() ?? [];
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                throw new InvalidOperationException($"{OriginsSetting} holds '{origin}', which is not an origin such as https://app.example.com.");
            }
        }
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(new CorsPolicyBuilder()
            .WithOrigins(origins)
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
