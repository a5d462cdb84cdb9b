using System.Text.Json;

namespace Audiobook.AppHost.LocalAws;

/// <summary>
/// Provisioning is the AppHost's job, never the API's: a resource that runs aws/provision.sh, the
/// same script operators run against AWS, to deploy aws/data.yaml and create the secrets. The
/// stack's outputs (bucket and table names) then become the API's configuration.
/// </summary>
public static class DataProvisioning
{
    public const string LocalEnvironmentName = "local";

    /// <summary>Data stack output → the API's configuration key.</summary>
    private static readonly Dictionary<string, string> OutputSettings = new()
    {
        ["AudioBucketName"] = "Storage__BucketName",
        ["UsersTableName"] = "Tables__Users",
        ["BooksTableName"] = "Tables__Books",
        ["AudioChaptersTableName"] = "Tables__AudioChapters",
        ["ProgressTableName"] = "Tables__Progress",
    };

    public sealed record Provisioning(IResourceBuilder<ExecutableResource> Resource, string OutputsFile);

    /// <param name="webOrigin">Where the API serves the web player: the bucket's CORS admits uploads from there.</param>
    /// <param name="otherWebOrigins">Origins of a separately hosted web app, as aws/deploy.sh --web-origin takes them.</param>
    public static Provisioning AddDataProvisioning(
        this IDistributedApplicationBuilder builder,
        string name,
        AwsTarget target,
        EndpointReference webOrigin,
        IReadOnlyList<string>? otherWebOrigins = null)
    {
        if (EmulatorChoice.FindOnPath("aws") is null)
        {
            throw new DistributedApplicationException(
                "The AWS CLI ('aws') is not on PATH; the AppHost deploys aws/data.yaml with it. Install it (pip install awscli, or AWS CLI v2).");
        }

        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var outputsFile = Path.Combine(Path.GetTempPath(), $"audiobook-apphost-{Environment.ProcessId}", "data-outputs.json");
        var resource = builder.AddExecutable(name, "bash", repositoryRoot, "aws/provision.sh")
            .WithArgs(context =>
            {
                context.Args.Add("--environment");
                context.Args.Add(target.EnvironmentName);
                context.Args.Add("--api-url");
                context.Args.Add(webOrigin);
                foreach (var origin in otherWebOrigins ?? [])
                {
                    context.Args.Add("--web-origin");
                    context.Args.Add(origin);
                }
                context.Args.Add("--outputs-file");
                context.Args.Add(outputsFile);
                if (target.IsEmulator)
                {
                    // The emulator ignores the template's CORS, lifecycle and TTL settings; locally the CloudFront key is generated too.
                    context.Args.Add("--emulator");
                    context.Args.Add("--cloudfront-key");
                }
            });
        target.Configure(resource);
        return new Provisioning(resource, outputsFile);
    }

    /// <summary>Hands the data stack's outputs and the secrets' path to a service.</summary>
    public static IResourceBuilder<ProjectResource> WithDataStack(
        this IResourceBuilder<ProjectResource> project,
        Provisioning provisioning,
        AwsTarget target) =>
        target.Configure(project)
            .WithEnvironment("Storage__ForcePathStyle", target.IsEmulator ? "true" : "false")
            .WithEnvironment("Secrets__ParameterPath", $"/audiobook/{target.EnvironmentName}/")
            .WithEnvironment(async context =>
            {
                // Evaluated when the project starts, after the provisioning step has completed.
                if (!File.Exists(provisioning.OutputsFile))
                {
                    return;
                }
                await using var stream = File.OpenRead(provisioning.OutputsFile);
                var outputs = await JsonSerializer.DeserializeAsync<StackOutput[]>(stream, cancellationToken: context.CancellationToken) ?? [];
                foreach (var output in outputs)
                {
                    if (OutputSettings.TryGetValue(output.OutputKey, out var setting))
                    {
                        context.EnvironmentVariables[setting] = output.OutputValue;
                    }
                }
            })
            .WaitForCompletion(provisioning.Resource);

    private sealed record StackOutput(string OutputKey, string OutputValue);
}
