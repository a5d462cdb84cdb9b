using System.Reflection;

namespace Audiobook.Bench;

/// <summary>Where things are: the repository root and the build outputs of the processes we start.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string Output(string project) =>
        Path.Combine(Root, project.StartsWith("Audiobook.BareApi", StringComparison.Ordinal) ? "bench" : "", project, "bin", Configuration, "net10.0", project + ".dll");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Audiobook.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmarks from inside the repository (Audiobook.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
