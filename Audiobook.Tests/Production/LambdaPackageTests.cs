using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;

namespace Audiobook.Tests.Production;

/// <summary>
/// The tests of this collection run one after another, after all the others: the native compile
/// keeps both cores busy for minutes, which would slow the timing-sensitive tests beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeBuild
{
    public const string Name = "Native AOT build";
}

/// <summary>
/// What aws/package.sh ships, tried the way Lambda runs it: the Native AOT executable, started by
/// run.sh with production settings and secrets from the emulator's SSM, passes the smoke script and
/// a short load run with its audit.
/// </summary>
[Collection(NativeBuild.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class LambdaPackageTests(AppHostFixture apphost)
{
    /// <summary>Amazon Linux 2023's, under the dotnet10 runtime aws/service.yaml names.</summary>
    private static readonly Version LambdaGlibc = new(2, 34);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_package_holds_the_native_api_which_runs_as_on_lambda_and_passes_the_smoke_script()
    {
        var output = Directory.CreateTempSubdirectory("audiobook-package-").FullName;
        try
        {
            var package = await ProcessRunner.RunAsync("bash", ["aws/package.sh", "--output", output], timeout: TimeSpan.FromMinutes(10), cancellationToken: Token);
            Assert.True(package.ExitCode == 0, package.Output);
            var zip = package.Output.Trim().Split('\n')[^1];

            using (var archive = ZipFile.OpenRead(zip))
            {
                var entries = archive.Entries.ToDictionary(e => e.FullName);
                Assert.Equal(Convert.ToInt32("755", 8), (entries["Audiobook.Api"].ExternalAttributes >> 16) & Convert.ToInt32("777", 8));
                Assert.Equal(Convert.ToInt32("755", 8), (entries["run.sh"].ExternalAttributes >> 16) & Convert.ToInt32("777", 8));
                Assert.Contains("collector.yaml", entries.Keys);
                Assert.Contains("appsettings.json", entries.Keys);
                Assert.Contains("wwwroot/index.html", entries.Keys);
                Assert.DoesNotContain(entries.Keys, k => k.EndsWith(".dll", StringComparison.Ordinal) || k.EndsWith(".dbg", StringComparison.Ordinal));
                Assert.DoesNotContain(entries.Keys, k => k.StartsWith("appsettings.Development", StringComparison.Ordinal));
            }
            var root = Path.Combine(output, "task");
            ZipFile.ExtractToDirectory(zip, root);
            var executable = Path.Combine(root, "Audiobook.Api");
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));

            // It must load on Lambda's glibc: no symbol of a newer version.
            var symbols = await ProcessRunner.RunAsync("objdump", ["-T", executable], cancellationToken: Token);
            Assert.True(symbols.ExitCode == 0, symbols.Output);
            var newest = GlibcVersion().Matches(symbols.Output).Select(m => Version.Parse(m.Groups["version"].Value)).Max();
            Assert.NotNull(newest);
            Assert.True(newest <= LambdaGlibc, $"The executable needs glibc {newest}; Lambda's Amazon Linux 2023 has {LambdaGlibc}.");

            await using var api = await NativeApi.StartAsync(root, ProductionSettings(), Token);
            var smoke = await ProcessRunner.RunAsync("bash", ["aws/smoke.sh", "--base-url", api.Address], timeout: TimeSpan.FromMinutes(2), cancellationToken: Token);
            Assert.True(smoke.ExitCode == 0, smoke.Output + "\n--- API ---\n" + api.Output);
            Assert.Contains("[smoke] passed", smoke.Output, StringComparison.Ordinal);

            // And the load run's mix (progress, concurrent completes) with its audit: nothing lost.
            var load = await LoadDriver.RunAsync(new LoadOptions(new Uri(api.Address), Listeners: 4, Duration: TimeSpan.FromSeconds(6), Mp4Samples.Read("faststart.m4a")), Token);
            Assert.True(load.Errors.Count == 0, string.Join('\n', load.Errors) + "\n--- API ---\n" + api.Output);
            Assert.Empty(load.AuditProblems);
            Assert.True(load.ProgressSaves > 0 && load.ChaptersAcknowledged > 0);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>As aws/service.yaml sets the function: Production, trusted hosts, secrets read from (the emulator's) SSM.</summary>
    private Dictionary<string, string> ProductionSettings()
    {
        var settings = apphost.ApiEnvironment
            .Where(kv => kv.Key.StartsWith("AWS_", StringComparison.Ordinal) || kv.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["AllowedHosts"] = "localhost;127.0.0.1";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        Assert.True(settings.ContainsKey("Secrets__ParameterPath"), "The AppHost no longer hands the API its SSM path.");
        return settings;
    }

    [GeneratedRegex(@"\(GLIBC_(?<version>\d+\.\d+)(\.\d+)?\)")]
    private static partial Regex GlibcVersion();

    /// <summary>run.sh in the unpacked package, as the Lambda Web Adapter starts it, until its /health answers 200.</summary>
    private sealed class NativeApi : IAsyncDisposable
    {
        private readonly Process process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

        private NativeApi(Process process, string address)
        {
            this.process = process;
            Address = address;
        }

        public string Address { get; }

        public string Output => string.Join('\n', lines.TakeLast(40));

        public static async Task<NativeApi> StartAsync(string root, Dictionary<string, string> settings, CancellationToken ct)
        {
            var address = $"http://127.0.0.1:{FreePort()}";
            var start = new ProcessStartInfo("sh", [Path.Combine(root, "run.sh")])
            {
                WorkingDirectory = Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (name, value) in settings)
            {
                start.Environment[name] = value;
            }
            start.Environment["ASPNETCORE_URLS"] = address;
            var api = new NativeApi(Process.Start(start) ?? throw new InvalidOperationException("Could not start run.sh."), address);
            api.process.OutputDataReceived += (_, e) => { if (e.Data is not null) api.lines.Enqueue(e.Data); };
            api.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) api.lines.Enqueue(e.Data); };
            api.process.BeginOutputReadLine();
            api.process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                Assert.False(api.process.HasExited, "The native API exited:\n" + api.Output);
                try
                {
                    using var health = await http.GetAsync($"{address}/health", ct);
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        return api;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                Assert.True(DateTime.UtcNow < deadline, "The native API was not healthy within a minute:\n" + api.Output);
                await Task.Delay(100, ct);
            }
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

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
