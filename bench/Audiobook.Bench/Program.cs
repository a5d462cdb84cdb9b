// The benchmarks of the "hardening and speed" issue, one command:
//   dotnet run -c Release --project bench/Audiobook.Bench [-- --listeners 32 --seconds 30]
//   dotnet run -c Release --project bench/Audiobook.Bench -- micro [BenchmarkDotNet arguments]
// Prints the table (figure and goal side by side) and writes it to bench/results/latest.md.
using System.Diagnostics;
using System.Globalization;
using Audiobook.Bench;
using BenchmarkDotNet.Running;

if (args is ["micro", .. var rest])
{
    BenchmarkSwitcher.FromAssembly(typeof(Repository).Assembly).Run(rest.Length > 0 ? rest : ["--filter", "*"]);
    return 0;
}

var listeners = Option("--listeners", 32);
// --only startup,issuance,load,library,upload,metadata,multipart: a subset, for working on one goal.
string[] all = ["startup", "issuance", "load", "library", "upload", "metadata", "multipart"];
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? all;
var seconds = Option("--seconds", 30);
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = cancel.Token;
var report = new Report();

// Native AOT is what aws/package.sh ships: every goal but start-up is measured on it. Start-up is
// measured for each build against the bare API built the same way.
var startup = only.Contains("startup");
Console.WriteLine("Publishing the Native AOT build of the API" + (startup ? ", and ReadyToRun and Native AOT builds of the bare API…" : "…"));
var aot = await PublishAsync(Build.NativeAot, startup, ct);
var r2r = startup ? await PublishAsync(Build.ReadyToRun, startup, ct) : null;

Console.WriteLine("Starting the AppHost (moto, aws/data.yaml)…");
await using (var apphost = await BenchAppHost.StartAsync(ct))
{
    var measure = new Measurements(apphost, report, aot?.Api ?? Repository.Output("Audiobook.Api"), ct);
    Console.WriteLine("Measuring…");
    if (startup)
    {
        await measure.StartupAsync("JIT build", Repository.Output("Audiobook.Api"), Repository.Output("Audiobook.BareApi"));
        if (r2r is { Bare: { } r2rBare } r2rBuild)
        {
            await measure.StartupAsync("ReadyToRun", r2rBuild.Api, r2rBare);
        }
        if (aot is { Bare: { } aotBare } aotBuild)
        {
            await measure.StartupAsync("Native AOT", aotBuild.Api, aotBare);
        }
    }
    var rss = 0.0;
    if (only.Contains("issuance"))
    {
        rss = Math.Max(await measure.IssuanceAsync(cloudFront: false), await measure.IssuanceAsync(cloudFront: true));
    }
    if (only.Contains("load"))
    {
        // Before the library: its 5,000 books slow every later moto Query (moto walks the table).
        rss = Math.Max(rss, await measure.LoadAsync(listeners, TimeSpan.FromSeconds(seconds)));
    }
    if (only.Contains("library"))
    {
        await measure.LibraryAsync();
    }
    if (only.Contains("upload"))
    {
        await measure.LargeUploadAsync();
    }
    if (only.Contains("metadata"))
    {
        await measure.MetadataAsync();
    }
    if (only.Contains("multipart"))
    {
        await measure.MultipartAsync();
    }
    if (rss > 0)
    {
        report.Add($"API memory ({(aot is null ? "JIT build: the Native AOT build failed" : "Native AOT, as on Lambda")}) under the {listeners}-client load and 32-client issuance (max RSS)",
            $"{rss.ToString("0", CultureInfo.InvariantCulture)} MB", "< 150 MB", rss < 150);
    }
}

var machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, moto";
var markdown = report.ToMarkdown(machine);
var results = Repository.File("bench", "results", only.Length == all.Length ? "latest.md" : "partial.md");
Directory.CreateDirectory(Path.GetDirectoryName(results)!);
await File.WriteAllTextAsync(results, markdown, ct);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"Written to {results}");
return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task<(string Api, string? Bare)?> PublishAsync(Build build, bool withBare, CancellationToken token)
{
    var output = Path.Combine(Path.GetTempPath(), $"audiobook-bench-{build}");
    // Native AOT links with clang, or with gcc where clang is missing (as aws/package.sh does).
    string[] properties = build == Build.NativeAot
        ? ["-p:PublishAot=true", $"-p:CppCompilerAndLinker={(File.Exists("/usr/bin/clang") ? "clang" : "gcc")}"]
        : ["--self-contained", "false", "-p:PublishAot=false", "-p:PublishReadyToRun=true"];
    var projects = new List<(string Project, string Name)> { ("Audiobook.Api/Audiobook.Api.csproj", "api") };
    if (withBare)
    {
        projects.Add(("bench/Audiobook.BareApi/Audiobook.BareApi.csproj", "bare"));
    }
    foreach (var (project, name) in projects)
    {
        var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Repository.File(project), "-c", "Release", "-r", "linux-x64", .. properties, "-o", Path.Combine(output, name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = await publish.StandardOutput.ReadToEndAsync(token) + await publish.StandardError.ReadToEndAsync(token);
        await publish.WaitForExitAsync(token);
        if (publish.ExitCode != 0)
        {
            report.Note($"{build} not measured: publishing {project} failed: {log.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim()}");
            return null;
        }
    }
    var extension = build == Build.NativeAot ? "" : ".dll";
    return (Path.Combine(output, "api", "Audiobook.Api" + extension), withBare ? Path.Combine(output, "bare", "Audiobook.BareApi" + extension) : null);
}

internal enum Build
{
    ReadyToRun,
    NativeAot,
}
