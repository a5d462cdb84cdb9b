using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Startup;

/// <summary>
/// The API starts listening while its secrets are still on their way from SSM, and no request passes
/// before they are in. As soon as the server listens (<see cref="StartedAsync"/>), the gate waits for
/// the read, adds the secrets to the configuration and validates the options that hold them; then it
/// opens. Requests that arrive earlier wait at the gate, the first middleware, so nothing reads a
/// secret before it is there. A secret that cannot be read or is not valid still stops start-up: the
/// host fails to start, and what waited at the gate gets a 503.
/// </summary>
/// <remarks>
/// The round trip to SSM, with KMS on Lambda, overlaps with the server's start (pipeline, endpoints,
/// socket) instead of coming before it (docs/cold-start.md).
/// </remarks>
public sealed class SecretsGate : IHostedLifecycleService
{
    private readonly SsmParameterSource? secrets;
    private readonly IConfigurationBuilder configuration;
    private readonly IServiceProvider services;
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SecretsGate(SsmParameterSource? secrets, IConfigurationBuilder configuration, IServiceProvider services)
    {
        this.secrets = secrets;
        this.configuration = configuration;
        this.services = services;
    }

    /// <summary>Completes once the secrets are in the configuration and valid; faults when they cannot be.</summary>
    internal Task Opened => opened.Task;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (secrets is not null)
            {
                await secrets.Completion.WaitAsync(cancellationToken);
                configuration.AddSsmParameters(secrets);
            }
            foreach (var validation in services.GetServices<SecretsValidation>())
            {
                validation.Validate(services);
            }
            // Which secrets this instance holds: a deploy that rotates keys changes Secrets:Version (aws/rotate-keys.sh).
            var settings = (IConfiguration)configuration;
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Audiobook.Api.Secrets").LogInformation(
                "Secrets read from {ParameterPath} (secrets version {SecretsVersion})", settings["Secrets:ParameterPath"] ?? "(none)", settings["Secrets:Version"] is { Length: > 0 } version ? version : "(initial)");
            opened.SetResult();
        }
        catch (Exception ex)
        {
            opened.SetException(ex);
            throw;
        }
    }

    internal async Task PassAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await Opened.WaitAsync(context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Start-up failed (the host logs why and stops): nothing is served without its secrets.
            context.Response.Headers.RetryAfter = "5";
            await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Service unavailable",
                detail: "The service could not start. Retry in a few seconds.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Puts the gate before every other middleware, whatever the application adds.</summary>
internal sealed class SecretsGateFirst : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseSecretsGate();
        next(app);
    };
}

/// <summary>Validates options that hold a secret, once the secrets are in the configuration.</summary>
internal sealed class SecretsValidation(Action<IServiceProvider> validate)
{
    public void Validate(IServiceProvider services) => validate(services);
}

public static class SecretsRegistration
{
    /// <summary>
    /// Reads the secrets under the builder's <c>Secrets:ParameterPath</c> (<paramref name="early"/> when
    /// it reads that path already) and registers the <see cref="SecretsGate"/> that adds them.
    /// </summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder, SsmParameterSource? early)
    {
        var secrets = builder.StartLoadingSsmParameters(early);
        var configuration = builder.Configuration;
        builder.Services.AddSingleton(services => new SecretsGate(secrets, configuration, services));
        builder.Services.AddHostedService(services => services.GetRequiredService<SecretsGate>());
        builder.Services.AddSingleton<IStartupFilter, SecretsGateFirst>();
        return builder;
    }

    /// <summary>
    /// Validates these options when the secrets have joined the configuration, as the gate opens,
    /// instead of on start (<c>ValidateOnStart</c>), which comes before them: for options that hold a secret.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnceSecretsJoin<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(this OptionsBuilder<TOptions> options)
        where TOptions : class
    {
        options.Services.AddSingleton(new SecretsValidation(services => _ = services.GetRequiredService<IOptions<TOptions>>().Value));
        return options;
    }

    /// <summary>The gate, first in the pipeline: once open, one completed-task check per request.</summary>
    public static IApplicationBuilder UseSecretsGate(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<SecretsGate>();
        return app.Use(next => context => gate.Opened.IsCompletedSuccessfully ? next(context) : gate.PassAsync(context, next));
    }
}
