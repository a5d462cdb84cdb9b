using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Audiobook.Api.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Audiobook.Tests.Telemetry;

/// <summary>
/// How <see cref="EmfMetrics"/> turns one request's measurements into EMF lines. The listener hears
/// every meter named Audiobook.Api in the process (other tests' in-process APIs too), so each test
/// uses instruments of its own names and reads only the lines that carry them.
/// </summary>
public sealed class EmfMetricsTests
{
    private readonly string name = $"test.{Guid.NewGuid():N}";
    private readonly StringWriter output = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    private EmfMetrics Create(string? environment) =>
        new(Options.Create(new EmfOptions { Namespace = "Audiobook", Environment = environment }), time, output);

    private List<JsonObject> Lines() =>
        [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains(name, StringComparison.Ordinal))
            .Select(line => JsonNode.Parse(line)!.AsObject())];

    [Fact]
    public async Task A_requests_measurements_leave_as_one_line_per_tag_group_when_it_ends()
    {
        using var emf = Create("staging");
        using var meter = new Meter(AudiobookMetrics.MeterName);
        var counter = meter.CreateCounter<long>(name, "{upload}");
        var duringRequest = -1;

        await emf.MeasureAsync(() =>
        {
            counter.Add(1);
            counter.Add(2);
            counter.Add(1, new KeyValuePair<string, object?>("reason", "type"));
            duringRequest = Lines().Count;
            return Task.CompletedTask;
        });

        Assert.Equal(0, duringRequest);
        var lines = Lines();
        Assert.Equal(2, lines.Count);
        var untagged = Assert.Single(lines, l => l["Reason"] is null);
        Assert.Equal(3, untagged[name]!.GetValue<double>());
        Assert.Equal("staging", untagged["Environment"]!.GetValue<string>());
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), untagged["_aws"]!["Timestamp"]!.GetValue<long>());
        Assert.Equal("""[["Environment"]]""", untagged["_aws"]!["CloudWatchMetrics"]![0]!["Dimensions"]!.ToJsonString());
        Assert.Equal("""[{"Name":"NAME","Unit":"Count"}]""".Replace("NAME", name, StringComparison.Ordinal),
            untagged["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.ToJsonString());
        var tagged = Assert.Single(lines, l => l["Reason"] is not null);
        Assert.Equal("type", tagged["Reason"]!.GetValue<string>());
        Assert.Equal(1, tagged[name]!.GetValue<double>());
        Assert.Equal("""[["Environment"],["Environment","Reason"]]""", tagged["_aws"]!["CloudWatchMetrics"]![0]!["Dimensions"]!.ToJsonString());
    }

    [Fact]
    public void A_histogram_keeps_its_values_and_a_measurement_outside_a_request_leaves_at_once()
    {
        using var emf = Create("staging");
        using var meter = new Meter(AudiobookMetrics.MeterName);
        var histogram = meter.CreateHistogram<long>(name, "By");

        histogram.Record(10);

        var line = Assert.Single(Lines());
        Assert.Equal("[10]", line[name]!.ToJsonString());
        Assert.Equal("Bytes", line["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]![0]!["Unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_environment_nothing_is_written()
    {
        using var emf = Create(environment: null);
        using var meter = new Meter(AudiobookMetrics.MeterName);
        var counter = meter.CreateCounter<long>(name);

        await emf.MeasureAsync(() =>
        {
            counter.Add(1);
            return Task.CompletedTask;
        });
        counter.Add(1);

        Assert.False(emf.IsEnabled);
        Assert.Empty(Lines());
    }
}
