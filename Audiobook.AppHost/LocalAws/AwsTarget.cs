using Microsoft.Extensions.Configuration;

namespace Audiobook.AppHost.LocalAws;

/// <summary>
/// Where the AppHost provisions and points the API: the local emulator (default), or a real AWS
/// environment (<c>LocalAws:Target=aws</c>, the "aws" launch profile) — then the same provisioning
/// step deploys or reuses that environment's data stack, as Aspire.Hosting.AWS would, and the API
/// runs locally against the real bucket, tables and SSM parameters with the developer's credentials.
/// </summary>
public sealed record AwsTarget(string EnvironmentName, string Region, IResourceBuilder<IResourceWithEndpoints>? Emulator)
{
    public const string TargetSetting = "LocalAws:Target";
    public const string EnvironmentSetting = "LocalAws:Environment";
    public const string RegionSetting = "LocalAws:Region";

    public bool IsEmulator => Emulator is not null;

    public static AwsTarget Create(IDistributedApplicationBuilder builder)
    {
        var target = (builder.Configuration[TargetSetting] ?? "emulator").Trim().ToLowerInvariant();
        return target switch
        {
            "emulator" or "" => new AwsTarget(DataProvisioning.LocalEnvironmentName, LocalAwsExtensions.Region, builder.AddLocalAws("aws")),
            "aws" => new AwsTarget(
                builder.Configuration[EnvironmentSetting] ?? throw new DistributedApplicationException(
                    $"{TargetSetting}=aws needs {EnvironmentSetting} (the environment to use, e.g. dev-yourname or staging)."),
                builder.Configuration[RegionSetting] ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? throw new DistributedApplicationException(
                    $"{TargetSetting}=aws needs {RegionSetting} or AWS_REGION."),
                Emulator: null),
            _ => throw new DistributedApplicationException($"{TargetSetting} must be emulator or aws (was '{target}')."),
        };
    }

    /// <summary>
    /// The variables that point the AWS SDK and CLI at this target; with the emulator, its owner's
    /// credentials too, unless the resource brings credentials of its own (a role's session).
    /// </summary>
    public IResourceBuilder<T> Configure<T>(IResourceBuilder<T> resource, bool emulatorCredentials = true) where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        if (Emulator is not null)
        {
            return resource.WithLocalAwsEnvironment(Emulator, emulatorCredentials).WaitFor(Emulator);
        }
        // Real AWS: the region, and the developer's own credentials (inherited AWS_PROFILE etc.).
        return resource.WithEnvironment("AWS_REGION", Region).WithEnvironment("AWS_DEFAULT_REGION", Region);
    }
}
