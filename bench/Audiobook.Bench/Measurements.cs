using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Audiobook.Load;

namespace Audiobook.Bench;

/// <summary>
/// Each goal of the benchmark issue, measured as a ratio within one run where it can be, on
/// <paramref name="apiExecutable"/>: the build production runs (Native AOT).
/// </summary>
public sealed partial class Measurements(BenchAppHost apphost, Report report, string apiExecutable, CancellationToken ct)
{
    private const int Clients = 32;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(5);

    private static string Sample(string name) => Repository.File("tests", "Audiobook.Testing", "Media", "Samples", name);

    private static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Launch to first healthy /health against a bare minimal API, in <paramref name="rounds"/> rounds of
    /// <paramref name="runs"/> alternating starts each. A start varies by ±10 ms on this kind of machine and
    /// the machine's speed drifts within minutes, so each round's median ratio is reported: the goal is met
    /// only when every round holds, not when a lucky one does.
    /// </summary>
    public async Task StartupAsync(string label, string apiDll, string bareDll, int rounds = 3, int runs = 11)
    {
        var environment = apphost.ProductionApiEnvironment(cloudFront: false);
        var bareEnvironment = new Dictionary<string, string>(BenchAppHost.LambdaRuntimeSettings) { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var ratios = new List<double>();
        var (api, listening, bare) = (new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            var (roundApi, roundBare) = (new List<double>(), new List<double>());
            for (var i = 0; i < runs; i++)
            {
                await using (var process = await ApiProcess.StartAsync(bareDll, bareEnvironment, ct))
                {
                    roundBare.Add(process.Startup.TotalMilliseconds);
                }
                await using (var process = await ApiProcess.StartAsync(apiDll, environment, ct))
                {
                    roundApi.Add(process.Startup.TotalMilliseconds);
                    listening.Add(process.Listening.TotalMilliseconds);
                }
            }
            ratios.Add(Latencies.Percentile(roundApi, 50) / Latencies.Percentile(roundBare, 50));
            api.AddRange(roundApi);
            bare.AddRange(roundBare);
        }
        var ratio = Latencies.Percentile(api, 50) / Latencies.Percentile(bare, 50);
        report.Add($"start-up to first /health 200, {label} (median of {runs}, {rounds} rounds)",
            $"{F(Latencies.Percentile(api, 50), "0")} ms vs bare {F(Latencies.Percentile(bare, 50), "0")} ms = {F(ratio)}×; rounds {F(ratios.Min())}–{F(ratios.Max())}×",
            "≤ 1.5× in every round", ratios.All(r => r <= 1.5));
        report.Note($"start-up, {label}: the API answers /alive after {F(Latencies.Percentile(listening, 50), "0")} ms (configuration and SSM secrets loaded), "
            + $"/health 200 after {F(Latencies.Percentile(api, 50), "0")} ms (bucket and tables answered); each round's ratio: "
            + string.Join(", ", ratios.Select(r => F(r) + "×")));
    }

    /// <summary>Stream URLs per second against /alive per second, same process, 32 clients; and the memory meanwhile.</summary>
    public async Task<double> IssuanceAsync(bool cloudFront)
    {
        // One account asks for every URL: what is measured is the cost of signing (and of the limiter itself), not the limit.
        await using var api = await ApiProcess.StartAsync(apiExecutable, WithoutPerUserLimits(apphost.ProductionApiEnvironment(cloudFront)), ct);
        var user = await ApiUserSession.CreateAsync(api.Address, ct);
        var bookId = await user.CreateBookAsync("Issuance", ct);
        var chapterId = await user.AddChapterAsync(bookId, Sample("faststart.m4a"), ct);
        var token = user.Http.DefaultRequestHeaders.Authorization!;
        var streamPath = new Uri(api.Address, $"/api/v1/books/{bookId}/chapters/{chapterId}/stream");
        var alivePath = new Uri(api.Address, "/alive");

        await Hammer.RunAsync(Clients, TimeSpan.FromSeconds(2), (http, c) => Ok(http, alivePath, null, c), ct); // warm-up
        await Hammer.RunAsync(Clients, TimeSpan.FromSeconds(2), (http, c) => Ok(http, streamPath, token, c), ct);
        var (alive, aliveRss) = await api.WithPeakRssAsync(() => Hammer.RunAsync(Clients, Phase, (http, c) => Ok(http, alivePath, null, c), ct));
        var (stream, streamRss) = await api.WithPeakRssAsync(() => Hammer.RunAsync(Clients, Phase, (http, c) => Ok(http, streamPath, token, c), ct));

        var ratio = stream.PerSecond / alive.PerSecond;
        var signer = cloudFront ? "CloudFront signed" : "S3 presigned";
        report.Add($"stream-URL issuance ({signer}) vs /alive, {Clients} clients",
            $"{F(stream.PerSecond, "0")}/s (p99 {F(stream.P99, "0.0")} ms) vs {F(alive.PerSecond, "0")}/s = {F(ratio)}×"
            + (stream.Failures + alive.Failures > 0 ? $", {stream.Failures + alive.Failures} failures" : ""), "≥ 0.5×", ratio >= 0.5 && stream.Failures == 0);
        return Math.Max(aliveRss, streamRss);
    }

    /// <summary>The first library page of a 50-book and a 5,000-book account: p99 latency ratio.</summary>
    public async Task LibraryAsync()
    {
        // One account creates 5,000 books, then reads its first page as fast as it can: the limit is not what is measured.
        await using var api = await ApiProcess.StartAsync(apiExecutable, WithoutPerUserLimits(apphost.ProductionApiEnvironment(false)), ct);
        var small = await ApiUserSession.CreateAsync(api.Address, ct);
        var large = await ApiUserSession.CreateAsync(api.Address, ct);
        var clock = Stopwatch.StartNew();
        await FillAsync(small, 50);
        await FillAsync(large, 5000);
        report.Note($"library set-up: 5,050 books created through the API in {F(clock.Elapsed.TotalSeconds, "0")} s");

        async Task<Hammer.Outcome> FirstPage(ApiUserSession user) => await Hammer.RunAsync(4, Phase,
            (http, c) => Ok(http, new Uri(api.Address, "/api/v1/books?limit=20"), user.Http.DefaultRequestHeaders.Authorization, c), ct);
        await FirstPage(small); // warm-up
        var of50 = await FirstPage(small);
        var of5000 = await FirstPage(large);
        var ratio = of5000.P99 / of50.P99;
        report.Add("library first page, 5,000 vs 50 books (p99)",
            $"{F(of5000.P99, "0.0")} ms vs {F(of50.P99, "0.0")} ms = {F(ratio)}×", "≤ 1.5×", ratio <= 1.5);

        async Task FillAsync(ApiUserSession user, int books)
        {
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= books)
                {
                    await user.CreateBookAsync($"Book {next}", ct);
                }
            }));
        }
    }

    /// <summary>A 200 MB upload with moov at the end: bytes read to complete it, and the API's memory before and after.</summary>
    public async Task LargeUploadAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "audiobook-bench-200mb-moov-at-end.m4a");
        PadMediaData(Sample("moov-at-end.m4a"), path, 200L * 1024 * 1024);
        await using var api = await ApiProcess.StartAsync(apiExecutable, apphost.ProductionApiEnvironment(false), ct);
        var user = await ApiUserSession.CreateAsync(api.Address, ct);
        var bookId = await user.CreateBookAsync("Large", ct);
        await user.AddChapterAsync(bookId, Sample("faststart.m4a"), ct); // warm: code paths loaded before measuring
        var warm = Path.Combine(Path.GetTempPath(), "audiobook-bench-70mb-moov-at-end.m4a");
        PadMediaData(Sample("moov-at-end.m4a"), warm, 70L * 1024 * 1024); // warm too: a file in parts (the 200 MB one goes so)
        await user.AddChapterAsync(bookId, warm, ct);
        File.Delete(warm);
        var beforeSmall = api.RssMegabytes;
        await user.AddChapterAsync(bookId, Sample("moov-at-end.m4a"), ct);
        await Task.Delay(500, ct);
        var before = api.RssMegabytes;
        await user.AddChapterAsync(bookId, path, ct);
        await Task.Delay(500, ct);
        var after = api.RssMegabytes;
        File.Delete(path);

        var inspected = api.Output.Select(line => InspectedLine().Match(line)).Where(m => m.Success)
            .Select(m => (Read: long.Parse(m.Groups["read"].Value, CultureInfo.InvariantCulture), Size: long.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture)))
            .Single(r => r.Size > 100_000_000);
        report.Add("completing a 200 MB upload with moov at the end: bytes read from storage",
            $"{F(inspected.Read / 1024.0, "0.0")} KiB of {F(inspected.Size / 1048576.0, "0")} MiB", "≤ 1 MiB", inspected.Read <= 1024 * 1024);
        var small = before - beforeSmall;
        var large = after - before;
        report.Add("API memory growth: the 200 MB upload vs a 100 KB one",
            $"{F(large, "+0.0;-0.0")} MB vs {F(small, "+0.0;-0.0")} MB ({F(after, "0")} MB RSS after)", "no more than a small one (± 5 MB)", large - small <= 5);
    }

    /// <summary>The load driver against a process of our own, with its memory sampled throughout.</summary>
    public async Task<double> LoadAsync(int listeners, TimeSpan duration)
    {
        // moto answers DynamoDB one request at a time: under this load its queue outlasts the 4 s
        // production timeout meant for AWS. A longer one measures the API, not the emulator's queue.
        var environment = apphost.ProductionApiEnvironment(false);
        environment["Storage__RequestTimeout"] = "00:00:30";
        await using var api = await ApiProcess.StartAsync(apiExecutable, environment, ct);
        var audio = await File.ReadAllBytesAsync(Sample("faststart.m4a"), ct);
        var (result, maxRss) = await api.WithPeakRssAsync(() => LoadDriver.RunAsync(new LoadOptions(api.Address, listeners, duration, audio), ct));

        var latencies = result.Latencies;
        report.Add($"load: {listeners} listeners for {F(duration.TotalSeconds, "0")} s",
            $"{F(result.OperationsPerSecond, "0")} calls/s, p50 {F(latencies.PercentileOfAll(50), "0.0")} ms, p99 {F(latencies.PercentileOfAll(99), "0.0")} ms, "
            + $"{result.ChaptersAcknowledged} chapters, {result.ProgressSaves} progress saves, {result.Retries} retried 503s, {result.Errors.Count} errors",
            "no errors", result.Errors.Count == 0);
        report.Add("load audit: acknowledged chapters and objects exist, no duplicates, progress never went back",
            result.AuditProblems.Count == 0 ? "clean" : string.Join("; ", result.AuditProblems.Take(3)), "clean", result.AuditProblems.Count == 0);
        foreach (var operation in latencies.Operations)
        {
            report.Note($"load `{operation}`: {latencies.Count(operation)} calls, p50 {F(latencies.Percentile(operation, 50), "0.0")} ms, p99 {F(latencies.Percentile(operation, 99), "0.0")} ms");
        }
        foreach (var error in result.Errors.Take(5))
        {
            report.Note("load error: " + error);
        }
        return maxRss;
    }

    /// <summary>The API's settings with its per-account budgets (RateLimits:PerUser) lifted.</summary>
    private static Dictionary<string, string> WithoutPerUserLimits(Dictionary<string, string> environment)
    {
        foreach (var bucket in new[] { "Requests", "StreamUrls" })
        {
            environment[$"RateLimits__PerUser__{bucket}__TokenLimit"] = "100000";
            environment[$"RateLimits__PerUser__{bucket}__TokensPerPeriod"] = "100000";
        }
        return environment;
    }

    private static async Task<bool> Ok(HttpClient http, Uri uri, AuthenticationHeaderValue? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = token;
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>
    /// A real moov-at-end file grown to <paramref name="size"/> by padding its mdat box: the audio
    /// still plays (chunk offsets point before the padding) and the moov is still last.
    /// </summary>
    private static void PadMediaData(string source, string target, long size)
    {
        var bytes = File.ReadAllBytes(source);
        var offset = 0;
        while (offset + 8 <= bytes.Length)
        {
            var boxSize = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            if (bytes.AsSpan(offset + 4, 4).SequenceEqual("mdat"u8))
            {
                var padding = size - bytes.Length;
                using var output = File.Create(target);
                output.Write(bytes, 0, offset);
                Span<byte> header = stackalloc byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(header, checked((uint)(boxSize + padding)));
                "mdat"u8.CopyTo(header[4..]);
                output.Write(header);
                output.Write(bytes, offset + 8, boxSize - 8);
                var zeros = new byte[1 << 20];
                for (var left = padding; left > 0; left -= zeros.Length)
                {
                    output.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                }
                output.Write(bytes, offset + boxSize, bytes.Length - offset - boxSize);
                return;
            }
            offset += boxSize;
        }
        throw new InvalidOperationException(source + " has no mdat box");
    }

    [GeneratedRegex(@"inspected: (?<read>\d+) of (?<size>\d+) bytes read")]
    private static partial Regex InspectedLine();
}
