using Audiobook.Tests.Infrastructure;

namespace Audiobook.Tests.Production;

/// <summary>The scripts that gate and ship production, exercised here on every change.</summary>
public sealed class ScriptTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_production_smoke_script_passes_against_the_local_apphost()
    {
        var api = apphost.App.GetEndpoint("api", "http").ToString().TrimEnd('/');

        var smoke = await ProcessRunner.RunAsync("bash", ["aws/smoke.sh", "--base-url", api], timeout: TimeSpan.FromMinutes(2), cancellationToken: Token);

        Assert.True(smoke.ExitCode == 0, smoke.Output);
        Assert.Contains("[smoke] passed", smoke.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_smoke_script_fails_loudly_against_something_that_is_not_the_api()
    {
        var smoke = await ProcessRunner.RunAsync("bash", ["aws/smoke.sh", "--base-url", "http://127.0.0.1:9"], cancellationToken: Token);

        Assert.NotEqual(0, smoke.ExitCode);
        Assert.Contains("FAILED", smoke.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_keys_alternates_cloudfront_key_slots_and_retires_the_idle_one()
    {
        var environment = $"rot{Guid.NewGuid():N}"[..12];
        var aws = apphost.AwsCliEnvironment();
        async Task Rotate(string action)
        {
            var run = await ProcessRunner.RunAsync("bash", ["aws/rotate-keys.sh", "--environment", environment, action], aws, cancellationToken: Token);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.DoesNotContain("PRIVATE KEY", run.Output, StringComparison.Ordinal);
        }
        using var ssm = apphost.CreateSsmClient();
        async Task<string?> Get(string name, bool secure = false)
        {
            try
            {
                return (await ssm.GetParameterAsync(new() { Name = name, WithDecryption = secure }, Token)).Parameter.Value;
            }
            catch (Amazon.SimpleSystemsManagement.Model.ParameterNotFoundException)
            {
                return null;
            }
        }

        await Rotate("--cloudfront");
        Assert.Equal("A", await Get($"/audiobook-deploy/{environment}/CloudFront/ActiveSlot"));
        await Rotate("--cloudfront");
        Assert.Equal("B", await Get($"/audiobook-deploy/{environment}/CloudFront/ActiveSlot"));

        // Both slots are trusted until the idle one is retired; each public key matches its private key.
        foreach (var slot in new[] { "A", "B" })
        {
            using var key = System.Security.Cryptography.RSA.Create();
            key.ImportFromPem(await Get($"/audiobook/{environment}/CloudFront/Keys/{slot}/PrivateKey", secure: true));
            Assert.Equal(key.ExportSubjectPublicKeyInfoPem().Trim(), (await Get($"/audiobook-deploy/{environment}/CloudFront/PublicKey{slot}"))!.Trim());
        }

        await Rotate("--retire-idle");
        Assert.Null(await Get($"/audiobook/{environment}/CloudFront/Keys/A/PrivateKey", secure: true));
        Assert.Null(await Get($"/audiobook-deploy/{environment}/CloudFront/PublicKeyA"));
        Assert.NotNull(await Get($"/audiobook/{environment}/CloudFront/Keys/B/PrivateKey", secure: true));
    }
}
