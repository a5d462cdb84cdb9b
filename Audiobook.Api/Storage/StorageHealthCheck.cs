using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

/// <summary>Healthy when the audio bucket and every table answer: what /health promises.</summary>
public sealed class StorageHealthCheck(
    IAmazonS3 s3,
    IAmazonDynamoDB dynamo,
    IOptions<StorageOptions> storage,
    IOptions<TableOptions> tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Probes run every few seconds: their AWS calls would bury real requests in the traces.
        using var quiet = OpenTelemetry.SuppressInstrumentationScope.Begin();
        try
        {
            // All at once: a cold start's first /health waits for one round trip, not two.
            var t = tables.Value;
            await Task.WhenAll(
                new[] { t.Users, t.Books, t.AudioChapters, t.Progress }
                    .Select(name => (Task)dynamo.DescribeTableAsync(name, cancellationToken))
                    .Append(s3.GetBucketLocationAsync(storage.Value.BucketName, cancellationToken)));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("S3 or DynamoDB is not reachable.", ex);
        }
    }
}
