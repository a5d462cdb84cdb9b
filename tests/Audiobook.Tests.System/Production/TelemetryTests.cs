using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Audiobook.AppHost.ProductionLike;
using Audiobook.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Production;

/// <summary>
/// What reaches CloudWatch from the function as aws/service.yaml configures it (the production-like
/// profile runs exactly that): its metrics as Embedded Metric Format lines on stdout, valid by the EMF
/// specification, each metric of the dashboard's widgets there with exactly the dimensions the widget
/// queries, and nothing counted twice.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
public sealed class TelemetryTests(ProductionLikeAppHost production)
{
    private static readonly HashSet<string> Units =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    ];

    private AppHostFixture Host => production.Host;

    [Fact]
    public async Task Every_metric_the_dashboard_shows_is_emitted_as_valid_emf_with_the_dimensions_its_widget_queries_once()
    {
        var before = Sum(await EmfLinesAsync(), "audiobook.logins.failed");
        using var user = await CreateAsync(Host);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);
        var rejected = await user.UploadAsync(bookId, Media.Mp4Samples.Read("text.m4a"), "not-audio.m4a");
        await user.CompleteAsync(bookId, rejected["uploadId"]!.GetValue<string>());
        await Expect(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        using var stranger = Anonymous(Host);
        for (var i = 0; i < 3; i++)
        {
            await Expect(await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody-{i}@example.com", password = "wrong wrong wrong" }, Token), HttpStatusCode.Unauthorized);
        }

        var widgets = DashboardMetrics();
        var lines = await EmfLinesAsync(wanted: lines => widgets.All(w => lines.Any(line => Shows(line, w))) && Sum(lines, "audiobook.logins.failed") >= before + 3);

        Assert.NotEmpty(widgets);
        Assert.All(lines, AssertValidEmf);
        Assert.All(widgets, widget => Assert.True(lines.Any(line => Shows(line, widget)),
            $"No EMF line carries {widget.Name} in {widget.Namespace} with exactly the dimensions [{string.Join(", ", widget.Dimensions.Select(d => $"{d.Key}={d.Value}"))}] the dashboard queries."));
        Assert.Equal(before + 3, Sum(lines, "audiobook.logins.failed"));
    }

    [Fact]
    public void Traces_are_the_only_signal_sent_to_the_collector_so_nothing_reaches_cloudwatch_twice()
    {
        var collector = new YamlStream();
        using (var reader = File.OpenText(Repository.PathOf("aws", "lambda", "collector.yaml")))
        {
            collector.Load(reader);
        }
        var pipelines = (YamlMappingNode)collector.Documents[0].RootNode["service"]["pipelines"];
        Assert.Equal(["traces"], pipelines.Children.Keys.Select(k => k.ToString()));
        var variables = (YamlMappingNode)Template.Load("service.yaml").Properties("ApiFunction")["Environment"]["Variables"];
        Assert.DoesNotContain(variables.Children.Keys, k => k.ToString() is "OTEL_EXPORTER_OTLP_ENDPOINT" or "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" or "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
    }

    private sealed record WidgetMetric(string Namespace, string Name, IReadOnlyDictionary<string, string> Dimensions);

    /// <summary>The service's metrics the dashboard queries: the widgets of aws/service.yaml, resolved for this environment.</summary>
    private List<WidgetMetric> DashboardMetrics()
    {
        var template = CloudFormationTemplate.Load(Repository.PathOf("aws", "service.yaml"));
        var context = new TemplateContext(new Dictionary<string, string> { ["EnvironmentName"] = "local" }, new Dictionary<string, string>(),
            new StandIns(new Dictionary<string, string> { ["HttpApi"] = "api", ["ApiFunction"] = "fn", ["AudioDistribution"] = "cdn" }, new Dictionary<string, string>()));
        var body = JsonNode.Parse((string)template.Resolve(context, "ServiceDashboard", "Properties", "DashboardBody")!)!;
        var metrics = new List<WidgetMetric>();
        foreach (var widget in body["widgets"]!.AsArray().Where(w => w!["type"]!.GetValue<string>() == "metric"))
        {
            var previous = Array.Empty<string>();
            foreach (var row in widget!["properties"]!["metrics"]!.AsArray())
            {
                // "." repeats the value of the row above at that place.
                var values = row!.AsArray().Where(v => v is JsonValue).Select(v => v!.GetValue<string>()).ToArray();
                var resolved = values.Select((v, i) => v == "." ? previous[i] : v).ToArray();
                previous = resolved;
                if (resolved[0] == "Audiobook")
                {
                    metrics.Add(new WidgetMetric(resolved[0], resolved[1],
                        Enumerable.Range(0, (resolved.Length - 2) / 2).ToDictionary(i => resolved[2 + 2 * i], i => resolved[3 + 2 * i])));
                }
            }
        }
        return metrics;
    }

    private static bool Shows(JsonObject line, WidgetMetric widget) =>
        line["_aws"]!["CloudWatchMetrics"]!.AsArray().Any(directive =>
            directive!["Namespace"]!.GetValue<string>() == widget.Namespace
            && directive["Metrics"]!.AsArray().Any(m => m!["Name"]!.GetValue<string>() == widget.Name)
            && directive["Dimensions"]!.AsArray().Any(set => set!.AsArray().Select(d => d!.GetValue<string>()).Order().SequenceEqual(widget.Dimensions.Keys.Order())))
        && widget.Dimensions.All(d => line[d.Key]?.GetValue<string>() == d.Value);

    /// <summary>The Embedded Metric Format specification's rules, checked one by one.</summary>
    private static void AssertValidEmf(JsonObject line)
    {
        var aws = line["_aws"]!.AsObject();
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(aws["Timestamp"]!.GetValue<long>());
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5));
        var directives = aws["CloudWatchMetrics"]!.AsArray();
        Assert.NotEmpty(directives);
        foreach (var directive in directives)
        {
            Assert.Matches("^[^:].{0,254}$", directive!["Namespace"]!.GetValue<string>());
            foreach (var set in directive["Dimensions"]!.AsArray())
            {
                var names = set!.AsArray().Select(d => d!.GetValue<string>()).ToList();
                Assert.InRange(names.Count, 1, 30);
                Assert.All(names, name => Assert.Equal(JsonValueKind.String, line[name]?.GetValueKind()));
            }
            var metrics = directive["Metrics"]!.AsArray();
            Assert.InRange(metrics.Count, 1, 100);
            foreach (var metric in metrics)
            {
                var name = metric!["Name"]!.GetValue<string>();
                Assert.Contains(metric["Unit"]!.GetValue<string>(), Units);
                var value = line[name];
                Assert.True(value?.GetValueKind() == JsonValueKind.Number
                    || (value is JsonArray values && values.Count is > 0 and <= 100 && values.All(v => v!.GetValueKind() == JsonValueKind.Number)),
                    $"{name} has no numeric value in {line.ToJsonString()}");
            }
        }
    }

    private static double Sum(IEnumerable<JsonObject> lines, string metric) =>
        lines.Where(l => l[metric] is JsonValue).Sum(l => l[metric]!.GetValue<double>());

    /// <summary>The EMF lines the function has written to stdout (Lambda's log stream), once <paramref name="wanted"/> holds or 10 s have passed.</summary>
    private async Task<List<JsonObject>> EmfLinesAsync(Func<List<JsonObject>, bool>? wanted = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = Host.Logs
                .Where(l => l.StartsWith("api: ", StringComparison.Ordinal) && l.Contains("\"_aws\"", StringComparison.Ordinal))
                .Select(l => JsonNode.Parse(l[l.IndexOf('{', StringComparison.Ordinal)..])!.AsObject())
                .ToList();
            if (wanted is null || wanted(lines) || DateTime.UtcNow > deadline)
            {
                return lines;
            }
            await Task.Delay(200, Token);
        }
    }
}
