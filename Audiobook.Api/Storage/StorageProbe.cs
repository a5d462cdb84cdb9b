using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Audiobook.Api.Books;
using Audiobook.Api.Chapters;
using Audiobook.Api.Progress;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

/// <summary>
/// Asks the audio bucket and every table whether they answer: what /health promises. A probe is two
/// AWS calls: the bucket's location, and one read of every table at once — a key no item has, in each
/// table's schema — so a table that is missing, unreadable or of another schema fails it, through the
/// data plane the API itself uses. One probe answers every /health asked while it runs and for
/// <see cref="Freshness"/> after it started: /health is anonymous and not rate-limited, so a flood of
/// /health cannot become a flood of AWS calls.
/// </summary>
public sealed class StorageProbe(
    IAmazonS3 s3,
    IAmazonDynamoDB dynamo,
    IOptions<StorageOptions> storage,
    IOptions<TableOptions> tables,
    TimeProvider time,
    IHostApplicationLifetime lifetime)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    /// <summary>A probe gives up after this long: an unreachable store is unhealthy, never a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private (long StartedAt, Task<HealthCheckResult> Result)? latest;

    /// <summary>The probe under way or started less than <see cref="Freshness"/> ago, else a new one.</summary>
    public Task<HealthCheckResult> CheckAsync()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            if (latest is { } probe && time.GetElapsedTime(probe.StartedAt, now) < Freshness)
            {
                return probe.Result;
            }
            // Shared by every caller, so no caller's cancellation may end it: its own timeout does.
            var result = Task.Run(ProbeAsync);
            latest = (now, result);
            return result;
        }
    }

    private async Task<HealthCheckResult> ProbeAsync()
    {
        // Probes run every few seconds: their AWS calls would bury real requests in the traces.
        using var quiet = OpenTelemetry.SuppressInstrumentationScope.Begin();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        timeout.CancelAfter(Timeout);
        try
        {
            // Both at once: the answer waits for one round trip.
            await Task.WhenAll(
                dynamo.BatchGetItemAsync(ReadOfEveryTable(tables.Value), timeout.Token),
                s3.GetBucketLocationAsync(storage.Value.BucketName, timeout.Token));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("S3 or DynamoDB is not reachable.", ex);
        }
    }

    /// <summary>One key per table, in the table's schema (aws/data.yaml), that no item has.</summary>
    private static Dictionary<string, KeysAndAttributes> ReadOfEveryTable(TableOptions t) => new()
    {
        [t.Users] = Read(new() { ["pk"] = new(ProbeKey) }),
        [t.Books] = Read(BookItems.Key(ProbeKey, ProbeKey)),
        [t.AudioChapters] = Read(ChapterItems.Key(ProbeKey, ProbeKey)),
        [t.Progress] = Read(ProgressStore.Key(ProbeKey, ProbeKey)),
    };

    private const string ProbeKey = "health-probe";

    private static KeysAndAttributes Read(Dictionary<string, AttributeValue> key) => new() { Keys = [key] };
}
