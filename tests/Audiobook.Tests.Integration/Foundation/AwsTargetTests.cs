using Audiobook.AppHost.LocalAws;

namespace Audiobook.Tests.Foundation;

/// <summary>The AppHost's "aws" profile: the API and the same provisioning step pointed at a real AWS environment.</summary>
public sealed class AwsTargetTests
{
    private static async Task<IDistributedApplicationTestingBuilder> ModelAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.Audiobook_AppHost>(args, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Against_aws_no_emulator_is_added_and_provisioning_targets_the_named_environment()
    {
        await using var builder = await ModelAsync("LocalAws:Target=aws", "LocalAws:Environment=staging", "LocalAws:Region=eu-west-1");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "aws");
        var provision = builder.Resources.OfType<ExecutableResource>().Single(r => r.Name == "provision");
        var args = new List<object>();
        foreach (var callback in provision.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, provision));
        }
        var text = args.OfType<string>().ToList();
        Assert.Equal("staging", text[text.IndexOf("--environment") + 1]);
        Assert.DoesNotContain("--emulator", text);
        Assert.DoesNotContain("--cloudfront-key", text);
    }

    [Fact]
    public async Task Against_aws_the_environment_name_is_required()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ModelAsync("LocalAws:Target=aws", "LocalAws:Region=eu-west-1"));
        Assert.Contains(AwsTarget.EnvironmentSetting, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_emulator_is_provisioned_with_local_cors_and_signing_key()
    {
        await using var builder = await ModelAsync("LocalAws:Emulator=moto");

        Assert.Contains(builder.Resources, r => r.Name == "aws");
        var provision = builder.Resources.OfType<ExecutableResource>().Single(r => r.Name == "provision");
        var args = new List<object>();
        foreach (var callback in provision.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, provision));
        }
        Assert.Contains("--emulator", args);
        Assert.Contains("local", args);
    }
}
