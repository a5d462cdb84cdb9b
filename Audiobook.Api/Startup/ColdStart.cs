using Audiobook.Api.Storage;

namespace Audiobook.Api.Startup;

/// <summary>
/// Everything the API does to start fast on Lambda, behind the three calls Program.cs makes. Each piece,
/// why it exists and what it bought, measured: docs/cold-start.md.
/// <list type="bullet">
/// <item>the secrets' read from SSM starts before the builder exists and runs while the app is composed
/// and the server starts; only declared secrets come from SSM (<see cref="DeclaredSecrets"/>);</item>
/// <item>the <see cref="SecretsGate"/>, the first middleware, holds requests until they are in and valid;</item>
/// <item>work the API has no use for is left out (<see cref="DataProtectionPreload"/>, and the API
/// reference in the published build: <see cref="ApiReference"/>);</item>
/// <item>the first storage probe starts while the pipeline is built and the server starts;</item>
/// <item>the endpoints are built once, while the host starts, not twice on the way to the first answer;</item>
/// <item>the generic types dependency injection closes at run time are compiled ahead of time
/// (Startup/PrecompiledGenerics.rd.xml, in the project file).</item>
/// </list>
/// </summary>
public static class ColdStart
{
    /// <summary>The application builder, with the secrets on their way and the gate in place.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // First of all: the round trip to SSM, with the AWS SDK's first use, overlaps everything after it.
        var early = SsmParameterConfiguration.StartLoadingSsmParameters(args);
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSecrets(early);
        return builder;
    }

    /// <summary>The application, built without start-up work it has no use for, its first storage probe under way.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.WithoutDataProtectionPreload();
        var app = builder.Build();
        app.StartStorageProbe();
        return app;
    }

    /// <summary>
    /// Runs the application, with its endpoints built once, on another thread while the host starts,
    /// instead of twice on the way to the first answer (<see cref="EndpointsBuiltOnce"/>).
    /// </summary>
    public static void Run(WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var once = sources.Select(source => new EndpointsBuiltOnce(source)).ToList();
        sources.Clear();
        foreach (var source in once)
        {
            sources.Add(source);
        }
        // A build that fails here fails again where the host needs the endpoints, and stops it there.
        _ = Task.Run(() => once.ForEach(source => _ = source.Endpoints));
        app.Run();
    }
}
