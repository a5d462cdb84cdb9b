using Microsoft.Playwright;

namespace Audiobook.Tests.Web;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download does not work here), headless,
/// with the flags this closed network needs. CHROMIUM_PATH overrides the executable.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(Path.GetTempPath(), "audiobook-screenshots");

    /// <summary>
    /// Waits sized for a loaded 2-core machine (the AppHost, the emulator and Chromium share it): an
    /// assertion waits up to 20 s, an action or page wait up to 60 s, an upload (PUT and inspection) 90 s.
    /// They bound a hang; they are not speed goals.
    /// </summary>
    public const float ExpectTimeout = 20_000;

    public const float ActionTimeout = 60_000;

    public const float UploadTimeout = 90_000;

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}
