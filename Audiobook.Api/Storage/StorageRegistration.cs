using Amazon.DynamoDBv2;
using Amazon.S3;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the S3 and DynamoDB clients. Region, credentials and endpoint come from configuration
    /// under the SDK's standard names (<see cref="AwsClientSettings"/>): locally the AppHost points them
    /// at the emulator, on Lambda the runtime provides them. No emulator-specific code.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateWith<StorageOptions, StorageOptionsValidator>()
            .ValidateOnStart();
        builder.Services.AddOptions<TableOptions>()
            .BindConfiguration(TableOptions.Section)
            .ValidateWith<TableOptions, TableOptionsValidator>()
            .ValidateOnStart();

        AwsSdkTracing.Register();

        var aws = AwsClientSettings.From(builder.Configuration);
        builder.Services.AddSingleton<IAmazonS3>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return S3Client(storage, storage.RequestTimeout, StorageOptions.MaxErrorRetry);
        });
        // Joining a large file's parts is the one S3 call that may take longer than the others.
        builder.Services.AddKeyedSingleton<IAmazonS3>(AudioStore.AssemblyClient, (sp, _) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return S3Client(storage, storage.AssemblyTimeout, 0);
        });

        IAmazonS3 S3Client(StorageOptions storage, TimeSpan timeout, int retries)
        {
            var config = aws.Apply(new AmazonS3Config
            {
                ForcePathStyle = storage.ForcePathStyle,
                Timeout = timeout,
                MaxErrorRetry = retries,
            });
            return aws.Credentials is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
        }
        builder.Services.AddSingleton<IAmazonDynamoDB>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var config = aws.Apply(new AmazonDynamoDBConfig
            {
                Timeout = storage.RequestTimeout,
                MaxErrorRetry = StorageOptions.MaxErrorRetry,
            });
            return aws.Credentials is { } credentials ? new AmazonDynamoDBClient(credentials, config) : new AmazonDynamoDBClient(config);
        });

        builder.Services.AddSingleton<AudioStore>();
        builder.Services.AddSingleton<StorageProbe>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("aws-storage", timeout: StorageProbe.Timeout);
        return builder;
    }

    /// <summary>
    /// Starts the first <see cref="StorageProbe"/> now, off the calling thread, so that it runs while
    /// the request pipeline is built and the server starts: a cold start's first /health (what the
    /// Lambda Web Adapter waits for) finds it under way or done. Start-up does not wait for it, and
    /// settings it cannot use are reported by start-up's own validation.
    /// </summary>
    public static void StartStorageProbe(this IHost app) =>
        _ = Task.Run(() => app.Services.GetRequiredService<StorageProbe>().CheckAsync());
}
