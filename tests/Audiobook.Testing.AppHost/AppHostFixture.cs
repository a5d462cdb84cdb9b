using Amazon.DynamoDBv2;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// Starts the real AppHost once per test run (embedded emulator: moto), exactly as
/// `dotnet run --project Audiobook.AppHost` does, and waits until the API reports healthy.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>AppHost settings beyond the defaults, e.g. the production-like profile's.</summary>
    public string[] ExtraArgs { get; init; } = [];

    /// <summary>How long the start may take: the production-like profile may build the Lambda package first (Native AOT).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The resource clients call: the gateway in the production-like profile, else the API itself.</summary>
    public string PublicEntry { get; private set; } = "api";

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> logs = new();
    private readonly CancellationTokenSource stopWatching = new();
    private DistributedApplication? app;
    private IReadOnlyDictionary<string, string>? apiEnvironment;

    public DistributedApplication App => app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The API's configuration as the AppHost handed it over (endpoint, bucket, tables).</summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment => apiEnvironment ?? throw new InvalidOperationException("The AppHost has not started.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Audiobook_AppHost>(
            ["LocalAws:Emulator=moto", .. ExtraArgs],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new QueueLoggerProvider(logs)));
        foreach (var service in builder.Resources.OfType<IResourceWithEnvironment>().Where(r => r is ProjectResource || r.Name == "api"))
        {
            // Nothing listens for telemetry in tests; an exporter that retries slows every shutdown.
            builder.CreateResourceBuilder(service).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
        }
        PublicEntry = builder.Resources.Any(r => r.Name == "gateway") ? "gateway" : "api";

        app = await builder.BuildAsync(timeout.Token);
        WatchStates();
        try
        {
            await app.StartAsync(timeout.Token);
            WatchLogs("api", "provision", "lifecycle", "gateway", "cdn", "service", "package");
            await app.ResourceNotifications.WaitForResourceHealthyAsync(PublicEntry, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The AppHost's {PublicEntry} was not healthy within {StartTimeout}. Its resources said:\n"
                + string.Join('\n', logs.TakeLast(80)));
        }
        catch (DistributedApplicationException failed)
        {
            throw new InvalidOperationException($"The AppHost's {failed.Message} Its resources said:\n" + string.Join('\n', logs.TakeLast(80)), failed);
        }

        var api = builder.Resources.OfType<IResourceWithEnvironment>().Single(r => r.Name == "api");
        var configuration = await ExecutionConfigurationBuilder.Create(api)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, timeout.Token);
        apiEnvironment = configuration.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    /// <summary>Every console line the AppHost's resources (API, provisioning, lifecycle sweep, stand-ins) have written so far.</summary>
    public IReadOnlyCollection<string> Logs => [.. logs];

    private void WatchLogs(params string[] resources)
    {
        var watcher = App.Services.GetRequiredService<ResourceLoggerService>();
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources.Where(r => resources.Contains(r.Name)))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in watcher.WatchAsync(resource).WithCancellation(stopWatching.Token))
                    {
                        foreach (var line in batch)
                        {
                            logs.Enqueue($"{resource.Name}: {line.Content}");
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The run is over.
                }
            });
        }
    }

    /// <summary>Each resource's state as it changes (starting, waiting, healthy, failed), kept with the logs.</summary>
    private void WatchStates() =>
        _ = Task.Run(async () =>
        {
            try
            {
                var last = new Dictionary<string, string>();
                await foreach (var change in App.ResourceNotifications.WatchAsync(stopWatching.Token))
                {
                    var unhealthy = change.Snapshot.HealthReports.FirstOrDefault(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
                    var state = $"{change.Snapshot.State?.Text} {change.Snapshot.HealthStatus} {unhealthy?.Description}".Trim();
                    if (last.GetValueOrDefault(change.Resource.Name) != state)
                    {
                        last[change.Resource.Name] = state;
                        logs.Enqueue($"{change.Resource.Name}: [{state}]");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        });

    /// <summary>A client of the API as callers reach it: through the gateway in the production-like profile.</summary>
    public HttpClient CreateApiClient() => App.CreateHttpClient(PublicEntry, "http");

    public string Setting(string name) =>
        ApiEnvironment.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The AppHost did not give the API '{name}'.");

    public IAmazonS3 CreateS3Client() => AwsClients.S3(Setting("AWS_ENDPOINT_URL"));

    /// <summary>The keys stored in the audio bucket under one book's prefix.</summary>
    public async Task<List<string>> AudioKeysAsync(string bookId)
    {
        using var s3 = CreateS3Client();
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request
        {
            BucketName = Setting("Storage__BucketName"),
            Prefix = $"books/{bookId}/",
        }, TestContext.Current.CancellationToken);
        return [.. (listed.S3Objects ?? []).Select(o => o.Key)];
    }

    /// <summary>The keys of the multipart uploads storage holds open under one book's prefix.</summary>
    public async Task<List<string>> OpenMultipartUploadsAsync(string bookId)
    {
        using var s3 = CreateS3Client();
        var listed = await s3.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest
        {
            BucketName = Setting("Storage__BucketName"),
            Prefix = $"books/{bookId}/",
        }, TestContext.Current.CancellationToken);
        return [.. (listed.MultipartUploads ?? []).Select(u => u.Key)];
    }

    /// <summary>
    /// One run of the AppHost's lifecycle sweep (LocalAws/lifecycle_sweep.py) as if it were
    /// <paramref name="now"/>, limited to keys containing <paramref name="only"/> so other tests' data is left alone.
    /// </summary>
    public async Task SweepLifecycleAsync(DateTimeOffset now, string only)
    {
        var run = await ProcessRunner.RunAsync("python3",
            ["Audiobook.AppHost/LocalAws/lifecycle_sweep.py", "--now", now.ToString("O"), "--only", only], AwsCliEnvironment(),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.Output);
    }

    /// <summary>The tags of one audio object.</summary>
    public async Task<Dictionary<string, string>> ObjectTagsAsync(string key)
    {
        using var s3 = CreateS3Client();
        var tags = await s3.GetObjectTaggingAsync(new() { BucketName = Setting("Storage__BucketName"), Key = key }, TestContext.Current.CancellationToken);
        return (tags.Tagging ?? []).ToDictionary(t => t.Key, t => t.Value);
    }

    /// <summary>The sort keys of one book's pending upload records (UPLOAD#…, or COVERUPLOAD for its cover).</summary>
    public async Task<List<string>> UploadRecordsAsync(string bookId, string prefix = "UPLOAD#")
    {
        using var db = CreateDynamoClient();
        var items = await db.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = Setting("Tables__AudioChapters"),
            KeyConditionExpression = "bookId = :book AND begins_with(sk, :upload)",
            ExpressionAttributeValues = new() { [":book"] = new(bookId), [":upload"] = new(prefix) },
            ConsistentRead = true,
        }, TestContext.Current.CancellationToken);
        return [.. (items.Items ?? []).Select(i => i["sk"].S)];
    }

    public Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement CreateSsmClient() => AwsClients.Ssm(Setting("AWS_ENDPOINT_URL"));

    public IAmazonDynamoDB CreateDynamoClient() => AwsClients.DynamoDb(Setting("AWS_ENDPOINT_URL"));

    /// <summary>The environment under which the scripts in aws/ talk to this AppHost's emulator.</summary>
    public Dictionary<string, string> AwsCliEnvironment() => new()
    {
        ["AWS_ENDPOINT_URL"] = Setting("AWS_ENDPOINT_URL"),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
    };

    public async ValueTask DisposeAsync()
    {
        await stopWatching.CancelAsync();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The AppHost's own warnings and errors (a resource that failed to start says why there), kept with the resources' logs.</summary>
    private sealed class QueueLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(queue, categoryName);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(System.Collections.Concurrent.ConcurrentQueue<string> queue, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // A resource's own output is watched separately (a process's stderr arrives here as errors);
                // what comes with an exception is the AppHost saying why it could not start the resource.
                if (exception is not null || !category.StartsWith("Audiobook.AppHost.Resources.", StringComparison.Ordinal))
                {
                    queue.Enqueue($"apphost {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
                }
            }
        }
    }
}
