using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Audiobook.Api.Storage;

/// <summary>Healthy when the audio bucket and every table answer (<see cref="StorageProbe"/>).</summary>
public sealed class StorageHealthCheck(StorageProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        probe.CheckAsync().WaitAsync(cancellationToken);
}
