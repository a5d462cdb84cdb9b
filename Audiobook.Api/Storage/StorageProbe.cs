using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

/// <summary>
/// Asks the audio bucket and every table whether they answer: what /health promises. One probe
/// answers every /health asked while it runs and for <see cref="Freshness"/> after it started —
/// /health is anonymous and not rate-limited, and each probe is five AWS calls (DescribeTable is a
/// control-plane call: AWS throttles them per account and Region, all tables and callers together, and
/// asks that they not be repeated at short intervals), so a flood of /health cannot become a flood of them.
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
            // All at once: the answer waits for one round trip, not five.
            var t = tables.Value;
            await Task.WhenAll(
                new[] { t.Users, t.Books, t.AudioChapters, t.Progress }
                    .Select(name => (Task)dynamo.DescribeTableAsync(name, timeout.Token))
                    .Append(s3.GetBucketLocationAsync(storage.Value.BucketName, timeout.Token)));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("S3 or DynamoDB is not reachable.", ex);
        }
    }
}
