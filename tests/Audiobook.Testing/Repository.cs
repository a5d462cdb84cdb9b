namespace Audiobook.Tests.Infrastructure;

/// <summary>Paths inside the checkout the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Audiobook.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Audiobook.sln not found above " + AppContext.BaseDirectory);
    }
}
