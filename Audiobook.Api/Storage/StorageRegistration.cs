using Amazon.DynamoDBv2;
using Amazon.S3;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the S3 and DynamoDB clients. Region, credentials and endpoint come from the SDK's
    /// standard sources (AWS_REGION, the credential chain, AWS_ENDPOINT_URL): locally the AppHost
    /// points them at the emulator, on Lambda the runtime provides them. No emulator-specific code.
    /// </summary>
    public static IHostApplicationBuilder AddAudiobookStorage(this IHostApplicationBuilder builder)
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

        builder.Services.AddSingleton<IAmazonS3>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new AmazonS3Client(new AmazonS3Config
            {
                ForcePathStyle = storage.ForcePathStyle,
                Timeout = storage.RequestTimeout,
                MaxErrorRetry = StorageOptions.MaxErrorRetry,
            });
        });
        builder.Services.AddSingleton<IAmazonDynamoDB>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new AmazonDynamoDBClient(new AmazonDynamoDBConfig
            {
                Timeout = storage.RequestTimeout,
                MaxErrorRetry = StorageOptions.MaxErrorRetry,
            });
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
