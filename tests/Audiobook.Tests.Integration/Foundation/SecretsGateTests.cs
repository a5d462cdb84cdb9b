using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Audiobook.Api.Accounts;
using Audiobook.Api.Startup;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The API listens while its secrets are on their way from the emulator's SSM: a request that arrives
/// first waits at the gate and is served with them; secrets that do not validate stop start-up, and
/// what waited gets a 503, never a request served without its secrets.
/// </summary>
public sealed class SecretsGateTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_that_arrives_before_the_secrets_waits_for_them_and_is_served_with_them()
    {
        var signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var path = await WriteSigningKeyAsync(signingKey);
        using var held = new ManualResetEventSlim();
        using var host = Host(path, held);
        var gate = host.Services.GetRequiredService<SecretsGate>();
        string? seen = null;
        var pipeline = Pipeline(host, _ =>
        {
            seen = host.Services.GetRequiredService<IOptions<JwtOptions>>().Value.SigningKey;
            return Task.CompletedTask;
        });

        var started = gate.StartedAsync(Token);
        var request = pipeline(Context(host));
        // SSM has not answered (the read is held): the request is still at the gate.
        await Task.Delay(TimeSpan.FromMilliseconds(300), Token);
        Assert.False(request.IsCompleted);
        Assert.False(started.IsCompleted);

        held.Set();
        await started.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await request.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(signingKey, seen);
        // Once open, the gate lets requests straight through.
        Assert.True(pipeline(Context(host)).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Secrets_that_do_not_validate_stop_start_up_and_what_waited_gets_a_503()
    {
        var path = await WriteSigningKeyAsync("c2hvcnQ=");
        using var held = new ManualResetEventSlim();
        using var host = Host(path, held);
        var gate = host.Services.GetRequiredService<SecretsGate>();
        var served = false;
        var pipeline = Pipeline(host, _ =>
        {
            served = true;
            return Task.CompletedTask;
        });

        var started = gate.StartedAsync(Token);
        var context = Context(host);
        var request = pipeline(context);
        held.Set();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => started.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Contains(failure.Failures, f => f.Contains("Jwt:SigningKey", StringComparison.Ordinal));
        // It names the setting, never the (malformed, but secret) value, which would then be in the log.
        Assert.DoesNotContain("c2hvcnQ=", failure.Message, StringComparison.Ordinal);
        Assert.All(failure.Failures, f => Assert.DoesNotContain("c2hvcnQ=", f, StringComparison.Ordinal));
        await request.WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.False(served);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Token);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        // The reason is in the host's log, not in the answer: it would name the setting to anyone.
        Assert.DoesNotContain("Jwt", problem.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<string> WriteSigningKeyAsync(string value)
    {
        var path = $"/audiobook-test/{Guid.NewGuid():N}/";
        using var ssm = AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));
        await ssm.PutParameterAsync(new PutParameterRequest { Name = path + "Jwt/SigningKey", Value = value, Type = ParameterType.SecureString }, Token);
        return path;
    }

    /// <summary>
    /// The secrets' registration as the API makes it, with the JWT options that hold one; the read
    /// starts at once but its client is only made (and SSM only asked) once <paramref name="held"/> is set.
    /// </summary>
    private IHost Host(string path, ManualResetEventSlim held)
    {
        var builder = SsmParametersTests.Builder(path);
        var early = SsmParameterConfiguration.StartLoadingSsmParameters([$"--{SsmParameterConfiguration.PathSetting}={path}"], () =>
        {
            held.Wait(Token);
            return AwsClients.Ssm(apphost.Setting("AWS_ENDPOINT_URL"));
        });
        builder.AddSecrets(early);
        builder.AddAudiobookAuthentication();
        return builder.Build();
    }

    private static RequestDelegate Pipeline(IHost host, RequestDelegate endpoint)
    {
        var app = new ApplicationBuilder(host.Services);
        app.UseSecretsGate();
        app.Run(endpoint);
        return app.Build();
    }

    private static DefaultHttpContext Context(IHost host) => new()
    {
        RequestServices = host.Services,
        Response = { Body = new MemoryStream() },
    };
}
