using System.Diagnostics;
using Audiobook.Load;

namespace Audiobook.Bench;

/// <summary>N clients calling as fast as they can for a while; requests per second and latencies.</summary>
public static class Hammer
{
    public sealed record Outcome(int Requests, int Failures, TimeSpan Elapsed, double P50, double P99)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;
    }

    public static async Task<Outcome> RunAsync(int clients, TimeSpan duration, Func<HttpClient, CancellationToken, Task<bool>> call, CancellationToken ct)
    {
        var latencies = new Latencies();
        var failures = 0;
        var deadline = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            while (DateTime.UtcNow < deadline)
            {
                var one = Stopwatch.StartNew();
                var ok = await call(http, ct);
                latencies.Add("call", one.Elapsed);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return new Outcome(latencies.Total, failures, clock.Elapsed, latencies.Percentile("call", 50), latencies.Percentile("call", 99));
    }
}
