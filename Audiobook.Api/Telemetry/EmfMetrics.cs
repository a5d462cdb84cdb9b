using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Telemetry;

/// <summary>
/// The service's own metrics as CloudWatch Embedded Metric Format: JSON lines on stdout, which Lambda
/// sends to CloudWatch Logs and CloudWatch turns into metrics — no collector, no batching that a frozen
/// Lambda environment could hold back. What one request records goes out as its lines before the
/// response ends; what is recorded outside a request, at once. Each metric has the dimension set
/// <c>Environment</c>, and, when recorded with tags (an upload's rejection reason), that set plus them.
/// On when <c>Metrics:Environment</c> is set (aws/service.yaml sets it); the Aspire dashboard gets the
/// same instruments through OpenTelemetry either way.
/// </summary>
public sealed class EmfMetrics : IDisposable
{
    private static readonly AsyncLocal<Batch?> Current = new();

    private readonly MeterListener listener = new();
    private readonly EmfOptions options;
    private readonly TimeProvider time;
    private readonly TextWriter output;

    public EmfMetrics(IOptions<EmfOptions> options, TimeProvider time)
        : this(options, time, Console.Out)
    {
    }

    internal EmfMetrics(IOptions<EmfOptions> options, TimeProvider time, TextWriter output)
    {
        this.options = options.Value;
        this.time = time;
        this.output = output;
        if (!this.options.IsEnabled)
        {
            return;
        }
        listener.InstrumentPublished = (instrument, subscription) =>
        {
            if (instrument.Meter.Name == AudiobookMetrics.MeterName)
            {
                subscription.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public bool IsEnabled => options.IsEnabled;

    /// <summary>Collects what <paramref name="request"/> records and writes it when it is done.</summary>
    public async Task MeasureAsync(Func<Task> request)
    {
        var batch = new Batch();
        Current.Value = batch;
        try
        {
            await request();
        }
        finally
        {
            Current.Value = null;
            Write(batch);
        }
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var batch = Current.Value;
        var own = batch is null;
        batch ??= new Batch();
        batch.Add(instrument, value, tags);
        if (own)
        {
            Write(batch);
        }
    }

    private void Write(Batch batch)
    {
        if (batch.IsEmpty)
        {
            return;
        }
        var lines = batch.Lines(options, time.GetUtcNow());
        lock (output)
        {
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }
            output.Flush();
        }
    }

    /// <summary>One request's measurements, grouped by their tags (one EMF line per group).</summary>
    private sealed class Batch
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, Group> groups = [];

        public bool IsEmpty
        {
            get
            {
                lock (gate)
                {
                    return groups.Count == 0;
                }
            }
        }

        public void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dimensions = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, tag) in tags)
            {
                dimensions[char.ToUpperInvariant(key[0]) + key[1..]] = Convert.ToString(tag, CultureInfo.InvariantCulture) ?? "";
            }
            var id = string.Join('\u0001', dimensions.Select(d => d.Key + "=" + d.Value));
            lock (gate)
            {
                if (!groups.TryGetValue(id, out var group))
                {
                    groups[id] = group = new Group(dimensions);
                }
                group.Add(instrument, value);
            }
        }

        public List<string> Lines(EmfOptions options, DateTimeOffset now)
        {
            lock (gate)
            {
                return [.. groups.Values.Select(group => group.Line(options, now))];
            }
        }
    }

    private sealed class Group(SortedDictionary<string, string> dimensions)
    {
        private readonly Dictionary<string, (string Unit, bool Histogram, List<double> Values)> metrics = new(StringComparer.Ordinal);

        public void Add(Instrument instrument, double value)
        {
            if (!metrics.TryGetValue(instrument.Name, out var metric))
            {
                metrics[instrument.Name] = metric = (Unit(instrument.Unit), instrument is Histogram<long> or Histogram<double>, []);
            }
            metric.Values.Add(value);
        }

        public string Line(EmfOptions options, DateTimeOffset now)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartObject("_aws");
                json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
                json.WriteStartArray("CloudWatchMetrics");
                json.WriteStartObject();
                json.WriteString("Namespace", options.Namespace);
                json.WriteStartArray("Dimensions");
                json.WriteStartArray();
                json.WriteStringValue(EmfOptions.EnvironmentDimension);
                json.WriteEndArray();
                if (dimensions.Count > 0)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(EmfOptions.EnvironmentDimension);
                    foreach (var name in dimensions.Keys)
                    {
                        json.WriteStringValue(name);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteStartArray("Metrics");
                foreach (var (name, metric) in metrics)
                {
                    json.WriteStartObject();
                    json.WriteString("Name", name);
                    json.WriteString("Unit", metric.Unit);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteString(EmfOptions.EnvironmentDimension, options.Environment);
                foreach (var (name, value) in dimensions)
                {
                    json.WriteString(name, value);
                }
                foreach (var (name, metric) in metrics)
                {
                    if (metric.Histogram)
                    {
                        // EMF takes up to 100 values of one metric in a line.
                        json.WriteStartArray(name);
                        foreach (var value in metric.Values.TakeLast(100))
                        {
                            json.WriteNumberValue(value);
                        }
                        json.WriteEndArray();
                    }
                    else
                    {
                        json.WriteNumber(name, metric.Values.Sum());
                    }
                }
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>OpenTelemetry's UCUM-style units as CloudWatch's.</summary>
        private static string Unit(string? unit) => unit switch
        {
            "By" => "Bytes",
            "ms" => "Milliseconds",
            "s" => "Seconds",
            { } u when u.StartsWith('{') => "Count",
            _ => "None",
        };
    }
}

public static class EmfMetricsRegistration
{
    /// <summary>Writes each request's metrics as EMF lines before its response ends (when EMF is on).</summary>
    public static IApplicationBuilder UseEmfMetrics(this IApplicationBuilder app)
    {
        var emf = app.ApplicationServices.GetRequiredService<EmfMetrics>();
        return emf.IsEnabled ? app.Use(next => context => emf.MeasureAsync(() => next(context))) : app;
    }
}
