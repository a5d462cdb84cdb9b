using System.IO.Compression;
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

            // The published build leaves the development-only API reference out (Http/ApiReference.cs):
            // compiled in, Scalar's assembly name would be in the executable's metadata.
            var image = await File.ReadAllBytesAsync(executable, Token);
            Assert.True(image.AsSpan().IndexOf("Scalar.AspNetCore"u8) < 0, "The package's executable has the API reference (Scalar) compiled in.");

            // run.sh, as the Lambda Web Adapter starts it, until /health answers 200.
            await using var api = await ApiProcess.StartAsync(Path.Combine(root, "run.sh"), ProductionSettings(), Token);
            var smoke = await ProcessRunner.RunAsync("bash", ["aws/smoke.sh", "--base-url", api.Address.ToString().TrimEnd('/')], timeout: TimeSpan.FromMinutes(2), cancellationToken: Token);
            Assert.True(smoke.ExitCode == 0, smoke.Output + "\n--- API ---\n" + string.Join('\n', api.Output.TakeLast(40)));
            Assert.Contains("[smoke] passed", smoke.Output, StringComparison.Ordinal);

            // And the load run's mix (progress, concurrent completes) with its audit: nothing lost.
            var load = await LoadDriver.RunAsync(new LoadOptions(api.Address, Listeners: 4, Duration: TimeSpan.FromSeconds(6), Mp4Samples.Read("faststart.m4a")), Token);
            Assert.True(load.Errors.Count == 0, string.Join('\n', load.Errors.Concat(["--- API ---"]).Concat(api.Output.TakeLast(40))));
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
        var settings = ApiProcess.ProductionSettings(apphost.ApiEnvironment);
        Assert.True(settings.ContainsKey("Secrets__ParameterPath"), "The AppHost no longer hands the API its SSM path.");
        return settings;
    }

    [GeneratedRegex(@"\(GLIBC_(?<version>\d+\.\d+)(\.\d+)?\)")]
    private static partial Regex GlibcVersion();
}
