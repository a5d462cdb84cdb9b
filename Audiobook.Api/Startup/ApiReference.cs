using System.Diagnostics.CodeAnalysis;
using Scalar.AspNetCore;

namespace Audiobook.Api.Startup;

/// <summary>
/// The API reference — the OpenAPI document and its Scalar page — served in Development only. It is a
/// feature switch as well: the published executable, which is what production runs, is built without
/// it (Audiobook.Api.csproj), so the code of both libraries is trimmed out of the Native AOT build.
/// That build starts measurably sooner for it (docs/cold-start.md); nothing else changes.
/// </summary>
internal static class ApiReference
{
    private const string Switch = "Audiobook.Api.ApiReference.IsSupported";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var supported) || supported;

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        if (IsSupported)
        {
            services.AddOpenApi();
        }
        return services;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (IsSupported && app.Environment.IsDevelopment())
        {
            app.MapOpenApi().AllowAnonymous();
            app.MapScalarApiReference().AllowAnonymous();
        }
        return app;
    }
}
