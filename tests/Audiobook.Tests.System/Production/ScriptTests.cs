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
    public async Task Rotate_keys_stages_an_environments_first_cloudfront_key_in_ssm_and_waits_for_a_deploy()
    {
        // The whole rotation, deploy by deploy, is DeployScriptTests' (a recorded AWS account); this is the
        // script against the emulator's real SSM: SecureString private key, matching public key, and refusals.
        var environment = $"rot{Guid.NewGuid():N}"[..12];
        var aws = apphost.AwsCliEnvironment();
        async Task<ProcessResult> Rotate(string action) =>
            await ProcessRunner.RunAsync("bash", ["aws/rotate-keys.sh", "--environment", environment, action], aws, cancellationToken: Token);
        using var ssm = apphost.CreateSsmClient();
        async Task<Amazon.SimpleSystemsManagement.Model.Parameter?> Get(string name, bool secure = false)
        {
            try
            {
                return (await ssm.GetParameterAsync(new() { Name = name, WithDecryption = secure }, Token)).Parameter;
            }
            catch (Amazon.SimpleSystemsManagement.Model.ParameterNotFoundException)
            {
                return null;
            }
        }

        var first = await Rotate("--cloudfront");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.DoesNotContain("PRIVATE KEY", first.Output, StringComparison.Ordinal);
        Assert.Equal("A", (await Get($"/audiobook-deploy/{environment}/CloudFront/NextActiveSlot"))?.Value);
        Assert.Null(await Get($"/audiobook-deploy/{environment}/CloudFront/ActiveSlot"));
        var privateKey = await Get($"/audiobook/{environment}/CloudFront/Keys/A/PrivateKey", secure: true);
        Assert.Equal("SecureString", privateKey?.Type);
        using (var key = System.Security.Cryptography.RSA.Create())
        {
            key.ImportFromPem(privateKey!.Value);
            Assert.Equal(key.ExportSubjectPublicKeyInfoPem().Trim(), (await Get($"/audiobook-deploy/{environment}/CloudFront/PublicKeyA"))?.Value.Trim());
        }

        // Until a deploy makes slot A sign, a second key or a retirement would change what that deploy does.
        foreach (var refused in new[] { "--cloudfront", "--cloudfront-activate", "--retire-idle" })
        {
            var run = await Rotate(refused);
            Assert.True(run.ExitCode != 0, $"{refused} succeeded: {run.Output}");
            Assert.Contains("[rotate-keys]", run.Output, StringComparison.Ordinal);
        }
        Assert.Null(await Get($"/audiobook/{environment}/CloudFront/Keys/B/PrivateKey", secure: true));
        Assert.Equal(privateKey!.Value, (await Get($"/audiobook/{environment}/CloudFront/Keys/A/PrivateKey", secure: true))?.Value);
    }
}
