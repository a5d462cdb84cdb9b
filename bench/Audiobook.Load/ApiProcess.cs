using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Audiobook.Load;

/// <summary>
/// An API started as a process of its own (as Lambda starts it: a fresh process), timed from launch
/// to its first healthy /health answer, with its resident memory readable from /proc. The bench
/// measures with it; the tests start the Lambda package's native API with it.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ApiProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>From process launch to the first 200 from /health.</summary>
    public TimeSpan Startup { get; private set; }

    /// <summary>From process launch to the first answer at all (the process listens: configuration and secrets loaded).</summary>
    public TimeSpan Listening { get; private set; }

    public IReadOnlyCollection<string> Output => [.. output];

    /// <summary>Resident set size now, in MB (VmRSS).</summary>
    public double RssMegabytes => ReadStatus("VmRSS:");

    /// <summary>Runs <paramref name="work"/> while sampling the resident set every 50 ms: its result and the peak, in MB.</summary>
    public async Task<(T Result, double PeakRssMegabytes)> WithPeakRssAsync<T>(Func<Task<T>> work)
    {
        var peak = RssMegabytes;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMegabytes);
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        try
        {
            return (await work(), peak);
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }
    }

    /// <summary>
    /// The settings an AppHost hands its API (AWS endpoint and credentials, bucket, tables, secrets
    /// path: AWS_* and Section__Key variables), turned into production's: Production, trusted hosts.
    /// </summary>
    public static Dictionary<string, string> ProductionSettings(IReadOnlyDictionary<string, string> apphostApiEnvironment)
    {
        var settings = apphostApiEnvironment
            .Where(kv => kv.Key.StartsWith("AWS_", StringComparison.Ordinal) || kv.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["AllowedHosts"] = "localhost;127.0.0.1";
        return settings;
    }

    /// <summary>
    /// Starts <paramref name="program"/> (a .dll on the shared runtime, or an executable: a Native AOT
    /// build, or a script that starts one) on a free loopback port and waits for its first healthy
    /// <paramref name="healthPath"/> (null: until it answers at all).
    /// </summary>
    public static async Task<ApiProcess> StartAsync(string program, IReadOnlyDictionary<string, string> environment, CancellationToken ct, string? healthPath = "/health")
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var managed = program.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(managed ? "dotnet" : program, managed ? [program] : [])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(program)!,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + program);
        var api = new ApiProcess(process, address);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) api.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) api.output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(program)} exited ({process.ExitCode}):\n" + string.Join('\n', api.output.TakeLast(30)));
            }
            try
            {
                // /alive first (the process is up: configuration and secrets loaded), then /health (storage answers too).
                var probe = api.Listening == TimeSpan.Zero ? "/alive" : healthPath!;
                using var answer = await http.GetAsync(new Uri(address, probe), ct);
                if (probe == "/alive") // any answer: it listens (a bare API has no /alive)
                {
                    api.Listening = clock.Elapsed;
                    if (healthPath is null)
                    {
                        break;
                    }
                    continue;
                }
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            // A start is seen within about a millisecond. At 5 ms the bare API, which answers as soon as it
            // listens, paid up to 5 ms of the wait and the API, whose first request waits in the server, less:
            // the start-up ratio read about 0.05× low (docs/performance.md).
            await Task.Delay(1, ct);
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"{Path.GetFileName(program)} was not healthy within a minute:\n" + string.Join('\n', api.output.TakeLast(30)));
            }
        }
        api.Startup = clock.Elapsed;
        return api;
    }

    private double ReadStatus(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
