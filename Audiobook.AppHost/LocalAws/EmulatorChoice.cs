using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Audiobook.AppHost.LocalAws;

public enum EmulatorKind
{
    LocalStack,
    Moto,
}

/// <summary>
/// Decides, before any resource is added, which AWS emulator can run on this machine: a container
/// resource that cannot start would block everything that waits for it (shared/ENVIRONMENT.md).
/// <c>LocalAws:Emulator</c> = <c>auto</c> (default), <c>localstack</c> or <c>moto</c>.
/// </summary>
public static class EmulatorChoice
{
    public const string Setting = "LocalAws:Emulator";

    public static EmulatorKind Decide(IConfiguration configuration)
    {
        var wanted = (configuration[Setting] ?? "auto").Trim().ToLowerInvariant();
        return wanted switch
        {
            "localstack" => ContainerRuntimeAnswers()
                ? EmulatorKind.LocalStack
                : throw new DistributedApplicationException(
                    $"{Setting}=localstack, but no container runtime answers ('docker info' failed). Start Docker, or use {Setting}=moto."),
            "moto" => FindOnPath("moto_server") is not null
                ? EmulatorKind.Moto
                : throw new DistributedApplicationException(
                    $"{Setting}=moto, but moto_server is not on PATH. Install it with: pip install \"moto[server]\""),
            "auto" or "" => ContainerRuntimeAnswers() ? EmulatorKind.LocalStack
                : FindOnPath("moto_server") is not null ? EmulatorKind.Moto
                : throw new DistributedApplicationException(
                    "No local AWS emulator can run here: no container runtime answers (for LocalStack) and moto_server is not on PATH. "
                    + "Install Docker, or install moto with: pip install \"moto[server]\""),
            _ => throw new DistributedApplicationException($"{Setting} must be auto, localstack or moto (was '{wanted}')."),
        };
    }

    /// <summary>
    /// The Python that has moto installed: the interpreter named in the moto_server script's
    /// shebang (pip writes it there), or python3 on PATH.
    /// </summary>
    public static string? MotoPython
    {
        get
        {
            var script = FindOnPath("moto_server");
            if (script is null)
            {
                return null;
            }
            var shebang = File.ReadLines(script).FirstOrDefault() ?? "";
            var interpreter = shebang.StartsWith("#!", StringComparison.Ordinal) ? shebang[2..].Trim().Split(' ')[0] : "";
            return File.Exists(interpreter) && !interpreter.EndsWith("/env", StringComparison.Ordinal) && !interpreter.EndsWith("bash", StringComparison.Ordinal)
                ? interpreter
                : FindOnPath("python3");
        }
    }

    /// <summary>The full path of an executable found on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static bool ContainerRuntimeAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        if (FindOnPath(runtime) is null)
        {
            return false;
        }
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (probe is null)
            {
                return false;
            }
            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
