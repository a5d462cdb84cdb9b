using System.Collections.Concurrent;

namespace Audiobook.Load;

/// <summary>Latencies per operation, in milliseconds, and their percentiles (nearest rank).</summary>
public sealed class Latencies
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> samples = new();

    public void Add(string operation, TimeSpan elapsed) =>
        samples.GetOrAdd(operation, _ => []).Add(elapsed.TotalMilliseconds);

    public IReadOnlyCollection<string> Operations => [.. samples.Keys.Order(StringComparer.Ordinal)];

    public int Count(string operation) => samples.TryGetValue(operation, out var bag) ? bag.Count : 0;

    public int Total => samples.Values.Sum(b => b.Count);

    public double Percentile(string operation, double percentile) =>
        Percentile(samples.TryGetValue(operation, out var bag) ? [.. bag] : [], percentile);

    public double PercentileOfAll(double percentile) => Percentile([.. samples.Values.SelectMany(b => b)], percentile);

    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
