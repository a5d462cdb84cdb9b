namespace Audiobook.AppHost.LocalAws;

/// <summary>The local stand-in for AWS: one emulator serving S3, DynamoDB, SSM and CloudFormation.</summary>
public static class LocalAwsExtensions
{
    public const string Region = "us-east-1";
    public const string LocalStackImage = "localstack/localstack";
    public const string LocalStackTag = "4.12.0";

    public static IResourceBuilder<IResourceWithEndpoints> AddLocalAws(this IDistributedApplicationBuilder builder, string name)
    {
        var kind = EmulatorChoice.Decide(builder.Configuration);
        if (kind == EmulatorKind.LocalStack)
        {
            var localstack = builder.AddContainer(name, LocalStackImage, LocalStackTag)
                .WithHttpEndpoint(targetPort: 4566, name: "http")
                .WithEnvironment("SERVICES", "s3,dynamodb,ssm,cloudformation,sts")
                .WithHttpHealthCheck("/_localstack/health");
            return localstack.AsEndpointResource();
        }

        // moto's own server, with DynamoDB requests serialised (see LocalAws/moto_server.py).
        var moto = builder.AddExecutable(name, EmulatorChoice.MotoPython!, builder.AppHostDirectory)
            .WithHttpEndpoint(name: "http");
        var endpoint = moto.GetEndpoint("http");
        moto.WithArgs(context =>
            {
                context.Args.Add(Path.Combine(builder.AppHostDirectory, "LocalAws", "moto_server.py"));
                context.Args.Add("-H");
                context.Args.Add("127.0.0.1");
                context.Args.Add("-p");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            })
            .WithEnvironment("EMULATOR_ACCESS_KEY_ID", OwnerAccessKeyId)
            .WithEnvironment("EMULATOR_SECRET_ACCESS_KEY", OwnerSecretAccessKey)
            // Part bodies (8-64 MiB) are allocated and freed on a new thread per request. glibc would raise
            // its mmap threshold after the first free and keep later ones in fragmented heaps: 5 GiB of
            // parts, four at a time, peaked at 268 MB this way (settling at 212 MB) and at 146 MB (settling
            // at 80 MB) with the threshold held.
            .WithEnvironment("MALLOC_MMAP_THRESHOLD_", "1048576")
            .WithHttpHealthCheck("/moto-api/");
        return moto.AsEndpointResource();
    }

    /// <summary>The emulator's own credentials: its account's owner, allowed everything (LocalAws/iam_gate.py).</summary>
    public const string OwnerAccessKeyId = "test";
    public const string OwnerSecretAccessKey = "test";

    /// <summary>The standard AWS SDK/CLI variables that point a process at the emulator, as its owner unless told otherwise.</summary>
    public static IResourceBuilder<T> WithLocalAwsEnvironment<T>(this IResourceBuilder<T> resource, IResourceBuilder<IResourceWithEndpoints> aws, bool ownerCredentials = true)
        where T : IResourceWithEnvironment
    {
        resource
            .WithEnvironment("AWS_ENDPOINT_URL", aws.GetEndpoint("http"))
            .WithEnvironment("AWS_REGION", Region)
            .WithEnvironment("AWS_DEFAULT_REGION", Region);
        return ownerCredentials
            ? resource.WithEnvironment("AWS_ACCESS_KEY_ID", OwnerAccessKeyId).WithEnvironment("AWS_SECRET_ACCESS_KEY", OwnerSecretAccessKey)
            : resource;
    }

    private static IResourceBuilder<IResourceWithEndpoints> AsEndpointResource<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints =>
        (IResourceBuilder<IResourceWithEndpoints>)builder;
}
