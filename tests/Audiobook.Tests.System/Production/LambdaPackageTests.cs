using System.IO.Compression;
using System.Text.RegularExpressions;
using Audiobook.AppHost.ProductionLike;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;

namespace Audiobook.Tests.Production;

/// <summary>
/// What aws/package.sh ships — the package the production-like AppHost built and runs as Lambda does
/// (its run.sh, the template's environment, the role's session) — holds the native API and nothing
/// Lambda cannot load, and behind the gateway and the edge passes the smoke script and a short load
/// run with its audit.
/// </summary>
[Collection(ProductionLikeAppHost.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class LambdaPackageTests(ProductionLikeAppHost production)
{
    /// <summary>Amazon Linux 2023's, under the dotnet10 runtime aws/service.yaml names.</summary>
    private static readonly Version LambdaGlibc = new(2, 34);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private AppHostFixture Host => production.Host;

    private Uri Gateway => Host.App.GetEndpoint("gateway", "http");

    [Fact]
    public async Task The_package_holds_the_native_api_and_nothing_lambda_cannot_load()
    {
        var directory = Repository.PathOf(".artifacts", "production-like");
        var zip = Directory.GetFiles(directory, "audiobook-api-*.zip").OrderByDescending(File.GetLastWriteTimeUtc).First();

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
        // The function runs the unpacked package (as Lambda runs /var/task), started by its run.sh.
        var executable = Path.Combine(directory, "task", "Audiobook.Api");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));

        // It must load on Lambda's glibc: no symbol of a newer version.
        var symbols = await ProcessRunner.RunAsync("objdump", ["-T", executable], cancellationToken: Token);
        Assert.True(symbols.ExitCode == 0, symbols.Output);
        var newest = GlibcVersion().Matches(symbols.Output).Select(m => Version.Parse(m.Groups["version"].Value)).Max();
        Assert.NotNull(newest);
        Assert.True(newest <= LambdaGlibc, $"The executable needs glibc {newest}; Lambda's Amazon Linux 2023 has {LambdaGlibc}.");

        // The published build leaves the development-only API reference out (Startup/ApiReference.cs):
        // compiled in, Scalar's assembly name would be in the executable's metadata.
        var image = await File.ReadAllBytesAsync(executable, Token);
        Assert.True(image.AsSpan().IndexOf("Scalar.AspNetCore"u8) < 0, "The package's executable has the API reference (Scalar) compiled in.");
    }

    [Fact]
    public async Task The_smoke_script_passes_through_the_gateway_and_the_edge()
    {
        var smoke = await ProcessRunner.RunAsync("bash", ["aws/smoke.sh", "--base-url", Gateway.ToString().TrimEnd('/'), "--from", "127.2.0.1"],
            timeout: TimeSpan.FromMinutes(2), cancellationToken: Token);

        Assert.True(smoke.ExitCode == 0, smoke.Output + "\n--- AppHost ---\n" + string.Join('\n', Host.Logs.TakeLast(40)));
        Assert.Contains("[smoke] stream with Range", smoke.Output, StringComparison.Ordinal);
        Assert.Contains($"[smoke] passed against {Gateway.ToString().TrimEnd('/')}", smoke.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_load_run_through_the_gateway_loses_nothing()
    {
        var load = await LoadDriver.RunAsync(new LoadOptions(Gateway, Listeners: 4, Duration: TimeSpan.FromSeconds(6), Mp4Samples.Read("faststart.m4a"), FromOwnAddresses: true), Token);

        Assert.True(load.Errors.Count == 0, string.Join('\n', load.Errors.Concat(["--- AppHost ---"]).Concat(Host.Logs.TakeLast(40))));
        Assert.Empty(load.AuditProblems);
        Assert.True(load.ProgressSaves > 0 && load.ChaptersAcknowledged > 0);
    }

    [GeneratedRegex(@"\(GLIBC_(?<version>\d+\.\d+)(\.\d+)?\)")]
    private static partial Regex GlibcVersion();
}
