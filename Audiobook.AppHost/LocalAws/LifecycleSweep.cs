namespace Audiobook.AppHost.LocalAws;

/// <summary>
/// moto stores a bucket's lifecycle rules and a table's TTL setting but never acts on them. This
/// resource does, every minute, from the rules the template put there (LocalAws/lifecycle_sweep.py):
/// abandoned uploads' objects and expired upload records, sessions and sign-in counts go away
/// locally as they do in AWS.
/// </summary>
public static class LifecycleSweep
{
    public static void AddLifecycleSweep(this IDistributedApplicationBuilder builder, string name, AwsTarget target, DataProvisioning.Provisioning provisioning)
    {
        if (target.Emulator?.Resource is not ExecutableResource)
        {
            return; // AWS does this itself; so does LocalStack for TTL (its container is not an executable).
        }
        var sweep = builder.AddExecutable(name, EmulatorChoice.MotoPython!, builder.AppHostDirectory,
                Path.Combine("LocalAws", "lifecycle_sweep.py"), "--every", "60")
            .WithParentRelationship(target.Emulator)
            .WaitForCompletion(provisioning.Resource);
        target.Configure(sweep);
    }
}
