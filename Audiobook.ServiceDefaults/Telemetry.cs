namespace Microsoft.Extensions.Hosting;

/// <summary>The names of the app's own meters and activity sources, exported with the framework's.</summary>
public static class Telemetry
{
    /// <summary>Everything the Audiobook services emit starts with this prefix.</summary>
    public const string Prefix = "Audiobook";

    public static readonly string[] MeterNames = [Prefix + ".*"];

    public static readonly string[] ActivitySourceNames = [Prefix + ".*", "Amazon.AWS.*"];
}
