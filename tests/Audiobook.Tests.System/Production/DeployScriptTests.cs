using System.Text.Json.Nodes;

namespace Audiobook.Tests.Production;

/// <summary>
/// aws/deploy.sh, rollback.sh and rotate-keys.sh over weeks of use, against the fake AWS CLI: the
/// second, third and failed deploys, a rotation that fails halfway, a rollback across a template
/// change, a transient error. Each is asserted on the calls the scripts made and the state they left.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeployScriptTests
{
    [Fact]
    public async Task A_first_deploy_creates_both_stacks_makes_the_keys_and_records_what_it_deployed()
    {
        using var aws = new FakeAwsAccount();

        var run = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("CREATE_COMPLETE", aws.Stack(FakeAwsAccount.ServiceStack)!["StackStatus"]!.GetValue<string>());
        Assert.True(aws.Stack(FakeAwsAccount.DataStack)!["TerminationProtection"]!.GetValue<bool>());
        Assert.NotNull(aws.Parameter("/audiobook/staging/Jwt/SigningKey"));
        Assert.Contains("PRIVATE KEY", aws.Parameter("/audiobook/staging/CloudFront/Keys/A/PrivateKey"), StringComparison.Ordinal);
        Assert.Equal("A", aws.DeployState("CloudFront/ActiveSlot"));
        Assert.Null(aws.DeployState("CloudFront/NextActiveSlot"));
        Assert.Equal("A", aws.StackParameter(FakeAwsAccount.ServiceStack, "ActiveKeySlot"));
        var record = JsonNode.Parse(aws.Object($"deployments/{aws.DeployState("Deployment/Current")}.json"))!;
        Assert.Equal(aws.StackParameter(FakeAwsAccount.ServiceStack, "PackageKey"), record["parameters"]!.AsArray()
            .Single(p => p!["ParameterKey"]!.GetValue<string>() == "PackageKey")!["ParameterValue"]!.GetValue<string>());
        Assert.Contains(aws.Objects("templates/"), key => key == record["template"]!.GetValue<string>());
        Assert.DoesNotContain("PRIVATE KEY", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_redeploy_keeps_the_alarm_email_the_collector_the_web_origins_and_the_audio_domain_and_says_so()
    {
        using var aws = new FakeAwsAccount();
        aws.State["xray"] = "CloudWatchLogs";
        var first = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"),
            "--alarm-email", "ops@example.com", "--otel-layer", "arn:aws:lambda:us-east-1:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1",
            "--web-origin", "https://app.example.com",
            "--audio-domain", "audio.example.com", "--audio-certificate", "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d");
        Assert.True(first.ExitCode == 0, first.Output);

        var again = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 2"));

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal("ops@example.com", aws.StackParameter(FakeAwsAccount.ServiceStack, "AlarmEmail"));
        Assert.Contains("aws-otel-collector", aws.StackParameter(FakeAwsAccount.ServiceStack, "OtelCollectorLayerArn"), StringComparison.Ordinal);
        Assert.Equal("https://app.example.com", aws.StackParameter(FakeAwsAccount.ServiceStack, "WebOrigins"));
        Assert.Equal("audio.example.com", aws.StackParameter(FakeAwsAccount.ServiceStack, "AudioDomainName"));
        Assert.Equal("arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d", aws.StackParameter(FakeAwsAccount.ServiceStack, "AudioCertificateArn"));
        Assert.Contains("setting AlarmEmail: ops@example.com (kept from the last deploy)", again.Output, StringComparison.Ordinal);
        Assert.Contains("what this deploy changes:", again.Output, StringComparison.Ordinal);
        // The bucket's CORS: the web origin and the API's own (it serves the web player).
        Assert.Contains("https://app.example.com,https://abc123.execute-api.us-east-1.amazonaws.com",
            aws.StackParameter(FakeAwsAccount.DataStack, "WebOrigins"), StringComparison.Ordinal);

        // An empty value removes a setting, and the removal is kept too.
        var removed = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 2"), "--alarm-email", "");
        Assert.True(removed.ExitCode == 0, removed.Output);
        Assert.Contains("setting AlarmEmail: ops@example.com → (none)", removed.Output, StringComparison.Ordinal);
        Assert.Equal("", aws.StackParameter(FakeAwsAccount.ServiceStack, "AlarmEmail"));
        Assert.Null(aws.DeployState("Settings/AlarmEmail"));
        var after = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 2"));
        Assert.True(after.ExitCode == 0, after.Output);
        Assert.Equal("", aws.StackParameter(FakeAwsAccount.ServiceStack, "AlarmEmail"));
        Assert.Equal("audio.example.com", aws.StackParameter(FakeAwsAccount.ServiceStack, "AudioDomainName"));
    }

    [Fact]
    public async Task An_audio_domain_without_a_us_east_1_certificate_stops_the_deploy_before_anything_changes()
    {
        using var aws = new FakeAwsAccount();
        var run = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"),
            "--audio-domain", "audio.example.com", "--audio-certificate", "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("needs --audio-certificate", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Calls, c => c.Length > 1 && c[1] is "put-parameter" or "create-stack" or "create-change-set");
    }

    [Fact]
    public async Task A_service_stack_whose_first_creation_failed_is_created_again_and_the_data_stack_is_left_alone()
    {
        using var aws = new FakeAwsAccount();
        aws.FailNextDeployOf(FakeAwsAccount.ServiceStack);
        var failed = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal("ROLLBACK_COMPLETE", aws.Stack(FakeAwsAccount.ServiceStack)!["StackStatus"]!.GetValue<string>());
        Assert.Contains("injected by the test", failed.Output, StringComparison.Ordinal);
        Assert.Null(aws.DeployState("Deployment/Current"));

        var retried = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"));

        Assert.True(retried.ExitCode == 0, retried.Output);
        Assert.Contains("ROLLBACK_COMPLETE (its first creation failed)", retried.Output, StringComparison.Ordinal);
        Assert.Equal("CREATE_COMPLETE", aws.Stack(FakeAwsAccount.ServiceStack)!["StackStatus"]!.GetValue<string>());
        Assert.Contains(aws.Calls, c => c is ["cloudformation", "delete-stack", "--stack-name", FakeAwsAccount.ServiceStack]);
        Assert.DoesNotContain(aws.Calls, c => c.Length > 3 && c[1] == "delete-stack" && c[3] == FakeAwsAccount.DataStack);
        Assert.Equal("A", aws.DeployState("CloudFront/ActiveSlot"));
    }

    [Fact]
    public async Task A_deploy_that_fails_after_a_rotation_leaves_the_signing_key_signing_and_in_place()
    {
        using var aws = new FakeAwsAccount();
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        var signingKey = aws.Parameter("/audiobook/staging/CloudFront/Keys/A/PrivateKey");

        var rotated = await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront");
        Assert.True(rotated.ExitCode == 0, rotated.Output);
        aws.FailNextDeployOf(FakeAwsAccount.ServiceStack);
        var failed = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"));

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal("A", aws.DeployState("CloudFront/ActiveSlot"));
        // B never reached the running stack: it cannot be made to sign, and retiring "the idle slot" retires B, not A.
        var activate = await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront-activate");
        Assert.NotEqual(0, activate.ExitCode);
        Assert.Contains("does not trust slot B's key yet", activate.Output, StringComparison.Ordinal);
        var retired = await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--retire-idle");
        Assert.True(retired.ExitCode == 0, retired.Output);
        Assert.Equal(signingKey, aws.Parameter("/audiobook/staging/CloudFront/Keys/A/PrivateKey"));
        Assert.Null(aws.Parameter("/audiobook/staging/CloudFront/Keys/B/PrivateKey"));
    }

    [Fact]
    public async Task Keys_rotate_into_an_empty_slot_only_and_the_key_in_use_is_never_retired()
    {
        using var aws = new FakeAwsAccount();
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        Assert.Equal(0, (await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront")).ExitCode);
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        Assert.Equal("A", aws.StackParameter(FakeAwsAccount.ServiceStack, "ActiveKeySlot")); // both trusted, A still signs
        Assert.Equal(0, (await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront-activate")).ExitCode);
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        Assert.Equal("B", aws.StackParameter(FakeAwsAccount.ServiceStack, "ActiveKeySlot"));
        Assert.Equal("B", aws.DeployState("CloudFront/ActiveSlot"));

        // Slot A still holds its key: a new one cannot go there until it is retired.
        var crowded = await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront");
        Assert.NotEqual(0, crowded.ExitCode);
        Assert.Contains("slot A still holds a key", crowded.Output, StringComparison.Ordinal);

        // State and stack disagree (a deploy done by hand): the slot the stack signs with is kept.
        aws.State["ssm"]!["/audiobook-deploy/staging/CloudFront/ActiveSlot"]!["Value"] = "A";
        var refused = await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--retire-idle");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("refusing to retire it", refused.Output, StringComparison.Ordinal);
        Assert.NotNull(aws.Parameter("/audiobook/staging/CloudFront/Keys/B/PrivateKey"));
    }

    [Theory]
    [InlineData("CloudFront/ActiveSlot", "/audiobook/staging/CloudFront/Keys/A/PrivateKey")]
    [InlineData("Jwt/SigningKey", "/audiobook/staging/Jwt/SigningKey")]
    public async Task A_transient_ssm_error_stops_the_deploy_instead_of_replacing_a_live_key(string failing, string key)
    {
        using var aws = new FakeAwsAccount();
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        var live = aws.Parameter(key);
        aws.Fail("ssm", "get-parameter", failing, "ThrottlingException", "Rate exceeded");

        var run = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 2"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ThrottlingException", run.Output, StringComparison.Ordinal);
        Assert.Equal(live, aws.Parameter(key));
        Assert.Null(aws.Parameter("/audiobook/staging/CloudFront/Keys/B/PrivateKey"));
    }

    [Fact]
    public async Task A_rebuilt_package_of_the_same_commit_reaches_lambda_under_a_key_of_its_own()
    {
        using var aws = new FakeAwsAccount();
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        var first = aws.StackParameter(FakeAwsAccount.ServiceStack, "PackageKey");

        var run = await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1, with a fix"));

        Assert.True(run.ExitCode == 0, run.Output);
        var second = aws.StackParameter(FakeAwsAccount.ServiceStack, "PackageKey");
        Assert.NotEqual(first, second);
        Assert.StartsWith("packages/0123456789ab-dirty-", second, StringComparison.Ordinal);
        Assert.Equal("build 1, with a fix", aws.Object(second!));
    }

    [Fact]
    public async Task A_rollback_redeploys_the_recorded_template_package_and_parameters_with_todays_keys()
    {
        using var aws = new FakeAwsAccount();
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 1"))).ExitCode);
        var firstId = aws.DeployState("Deployment/Current")!;
        // The first deployment's template predates a parameter the current one has.
        var record = JsonNode.Parse(aws.Object($"deployments/{firstId}.json"))!.AsObject();
        record["parameters"] = new JsonArray([.. record["parameters"]!.AsArray().Where(p => p!["ParameterKey"]!.GetValue<string>() != "OtelCollectorLayerArn").Select(p => p!.DeepClone())]);
        aws.State["s3"]![FakeAwsAccount.ArtifactsBucket]![$"deployments/{firstId}.json"] = record.ToJsonString();
        var firstTemplate = record["template"]!.GetValue<string>();
        var firstPackage = aws.StackParameter(FakeAwsAccount.ServiceStack, "PackageKey");
        Assert.Equal(0, (await aws.RunAsync("deploy.sh", "--environment", FakeAwsAccount.Environment, "--package", aws.Package("build 2"))).ExitCode);
        Assert.Equal(0, (await aws.RunAsync("rotate-keys.sh", "--environment", FakeAwsAccount.Environment, "--cloudfront")).ExitCode);
        var currentKeyB = aws.DeployState("CloudFront/PublicKeyB");

        var rollback = await aws.RunAsync("rollback.sh", "--environment", FakeAwsAccount.Environment);

        Assert.True(rollback.ExitCode == 0, rollback.Output);
        var parameters = aws.Stack(FakeAwsAccount.ServiceStack)!["Parameters"]!.AsArray().Select(p => p!["ParameterKey"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("OtelCollectorLayerArn", parameters);
        Assert.Equal(firstPackage, aws.StackParameter(FakeAwsAccount.ServiceStack, "PackageKey"));
        Assert.EndsWith(firstTemplate, aws.Stack(FakeAwsAccount.ServiceStack)!["Template"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(currentKeyB, aws.StackParameter(FakeAwsAccount.ServiceStack, "PublicKeyB")); // keys are state, not code
        // Rolling back again rolls forward to the second deployment.
        Assert.Equal(0, (await aws.RunAsync("rollback.sh", "--environment", FakeAwsAccount.Environment)).ExitCode);
        Assert.Contains("OtelCollectorLayerArn", aws.Stack(FakeAwsAccount.ServiceStack)!["Parameters"]!.AsArray().Select(p => p!["ParameterKey"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_scripts_say_what_they_need_before_changing_anything()
    {
        using var aws = new FakeAwsAccount();
        var uname = Path.Combine(Path.GetDirectoryName(aws.StateFile)!, "bin", "uname");
        await File.WriteAllTextAsync(uname, "#!/bin/sh\n[ \"$1\" = -m ] && echo arm64 || echo Darwin\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(uname, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var package = await aws.RunAsync("package.sh");

        Assert.NotEqual(0, package.ExitCode);
        Assert.Contains("only be built on Linux x64 (this is Darwin arm64)", package.Output, StringComparison.Ordinal);
    }
}
