using System.Collections.Concurrent;
using System.Globalization;
using Audiobook.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Audiobook.Tests.Web;

/// <summary>The web player in a real browser against the default profile's AppHost: what a listener does.</summary>
public sealed class PlayerTests(AppHostFixture apphost, BrowserFixture browser) : PlayerScenarios(apphost, browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_listener_registers_uploads_two_chapters_plays_seeks_and_resumes_after_a_reload() => ListenAsync();

    [Fact]
    public Task Another_browser_resumes_where_the_first_stopped() => ResumeInAnotherBrowserAsync();

    [Fact]
    public Task A_chapter_downloads_with_its_original_file_name() => DownloadAsync();

    [Fact]
    public Task An_expired_stream_url_is_replaced_and_playback_continues_where_it_was() => ReplaceExpiredUrlAsync();

    [Fact]
    public Task A_rejected_file_shows_why_in_plain_words() => ShowRejectionAsync();

    [Fact]
    public Task The_sign_in_screen_is_usable_with_the_keyboard_alone() => SignInWithKeyboardAsync();

    [Fact]
    public Task An_expired_access_token_is_renewed_silently_and_sign_out_ends_the_session_on_the_server() => RenewAndSignOutAsync();

    [Fact]
    public Task Told_to_slow_down_the_player_waits_as_long_as_asked_and_tries_again() => BackOffAsync();

    [Fact]
    public Task A_single_file_book_shows_its_cover_and_markers_and_plays_from_marker_to_marker() => SingleFileBookAsync();

    [Fact]
    public Task A_large_file_cut_off_mid_upload_resumes_after_a_reload_with_the_missing_parts_only() => ResumeLargeUploadAsync();
}

/// <summary>What a listener does in the web player, against whichever AppHost serves it.</summary>
public abstract class PlayerScenarios(AppHostFixture apphost, BrowserFixture browser)
{
    private static readonly string Prelude = Repository.PathOf("Audiobook.AppHost", "Demo", "Audio", "01 - Prelude.m4a");
    private static readonly string Theme = Repository.PathOf("Audiobook.AppHost", "Demo", "Audio", "02 - Theme.m4a");

    /// <summary>Where the web player is served: the API, or the gateway in front of it.</summary>
    protected string BaseUrl => apphost.App.GetEndpoint(apphost.PublicEntry, "http").ToString().TrimEnd('/');

    /// <summary>The origin audio comes from: storage (presigned S3) or the CloudFront edge.</summary>
    protected Uri AudioOrigin => apphost.PublicEntry == "gateway"
        ? new Uri($"http://{Audiobook.AppHost.ProductionLike.LocalServiceStack.CloudFrontHost}:{apphost.App.GetEndpoint("cdn", "http").Port}")
        : new Uri(apphost.Setting("AWS_ENDPOINT_URL"));

    protected async Task ListenAsync()
    {
        await using var context = await NewListenerAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var page = await context.NewPageAsync();
        var violations = CspViolations(page);
        var audioResponses = new ConcurrentBag<int>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/chapters/", StringComparison.Ordinal) && response.Url.Contains(".m4a", StringComparison.Ordinal)
                && new Uri(response.Url).Authority == AudioOrigin.Authority)
            {
                audioResponses.Add(response.Status);
            }
        };

        await RegisterAsync(page);
        await CreateBookAsync(page, "The Sine Odyssey");

        await page.Locator("#files").SetInputFilesAsync([Prelude, Theme]);
        await Expect(page.Locator(".upload.done")).ToHaveCountAsync(2, new() { Timeout = BrowserFixture.UploadTimeout });
        foreach (var bar in await page.Locator(".upload progress").AllAsync())
        {
            Assert.Equal("100", await bar.GetAttributeAsync("value") ?? (await bar.EvaluateAsync<double>("b => b.value")).ToString(CultureInfo.InvariantCulture));
        }
        await Expect(page.Locator(".chapter")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "book.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Play 01 - Prelude" }).ClickAsync();
        await page.WaitForFunctionAsync("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime > 0.3 && a.duration > 15; }");

        await page.Locator("#seek").FillAsync("15");
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('audio').currentTime; return t >= 15 && t < 25; }");
        Assert.Contains(206, audioResponses);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "player.png") });

        await PauseAndWaitForSaveAsync(page);
        var position = await page.EvaluateAsync<double>("() => document.getElementById('audio').currentTime");

        await page.ReloadAsync();
        await page.WaitForFunctionAsync(
            "p => { const a = document.getElementById('audio'); return a.readyState >= 1 && Math.abs(a.currentTime - p) < 3; }",
            position, new() { Timeout = BrowserFixture.ExpectTimeout });
        await Expect(page.Locator("#now-title")).ToContainTextAsync("Prelude");
        await Expect(page.Locator("#player-status")).ToContainTextAsync("Resumed");
        Assert.Empty(violations);
    }

    protected async Task SingleFileBookAsync()
    {
        await using var context = await NewListenerAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 } });
        var page = await context.NewPageAsync();
        var violations = CspViolations(page);
        await RegisterAsync(page);
        await CreateBookAsync(page, "Metamorphosis");

        await page.Locator("#files").SetInputFilesAsync(Media.Mp4Samples.PathOf("book-both-markers.m4a"));
        await Expect(page.Locator(".upload.done")).ToHaveCountAsync(1, new() { Timeout = BrowserFixture.UploadTimeout });

        // The cover the file carried, loaded through its signed URL.
        var cover = page.Locator(".book-cover img.cover");
        await Expect(cover).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.book-cover img.cover'); return i && i.complete && i.naturalWidth === 300; }");
        var markers = page.GetByRole(AriaRole.List, new() { Name = "Markers of Die Verwandlung (Ungekürzt)" }).GetByRole(AriaRole.Listitem);
        await Expect(markers).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "single-file-book.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Jump to Kapitel 1: Straße" }).ClickAsync();
        await page.WaitForFunctionAsync("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime >= 3 && a.currentTime < 5.5; }");
        await Expect(page.Locator("#now-marker")).ToContainTextAsync("Kapitel 1: Straße");
        await Expect(page.Locator("[data-marker='1']")).ToHaveAttributeAsync("aria-current", "true");
        await page.WaitForFunctionAsync("() => navigator.mediaSession.metadata?.artwork?.length === 1");

        await page.Locator("body").PressAsync("]");
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('audio').currentTime; return t >= 6 && t < 8.5; }");
        await Expect(page.Locator("#now-marker")).ToContainTextAsync("Épilogue 終わり");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await page.Locator("body").PressAsync("[");
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('audio').currentTime; return t >= 3 && t < 3.5; }");
        await Expect(page.Locator("#now-marker")).ToContainTextAsync("Kapitel 1: Straße");

        // The tagged title is offered in one click; the narrator was filled from the file.
        await page.GetByRole(AriaRole.Button, new() { Name = "Use the tagged title: “Die Verwandlung”" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Die Verwandlung", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Use the tagged title: “Die Verwandlung”" })).ToHaveCountAsync(0);
        Assert.Empty(violations);
    }

    protected async Task ResumeInAnotherBrowserAsync()
    {
        await using var first = await NewListenerAsync();
        var page = await first.NewPageAsync();
        var (email, password) = await RegisterAsync(page);
        await CreateBookAsync(page, "Two Devices");
        await page.Locator("#files").SetInputFilesAsync([Prelude]);
        await Expect(page.Locator(".upload.done")).ToHaveCountAsync(1, new() { Timeout = BrowserFixture.UploadTimeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Play 01 - Prelude" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('audio').duration > 20");
        await page.Locator("#seek").FillAsync("20");
        await page.WaitForFunctionAsync("() => document.getElementById('audio').currentTime >= 20");
        await PauseAndWaitForSaveAsync(page);
        var bookUrl = page.Url;

        await using var second = await NewListenerAsync();
        var other = await second.NewPageAsync();
        await other.GotoAsync(BaseUrl);
        await other.GetByLabel("E-mail").FillAsync(email);
        await other.GetByLabel("Password (10 characters or more)").FillAsync(password);
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(other.GetByText("Continue listening:")).ToBeVisibleAsync();
        await other.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "library.png") });
        await other.GotoAsync(bookUrl);
        await other.WaitForFunctionAsync("() => { const a = document.getElementById('audio'); return a.readyState >= 1 && Math.abs(a.currentTime - 20) < 3; }");

        // Keyboard shortcuts: J goes back 30 s (to the start here), K plays.
        await other.Keyboard.PressAsync("j");
        await other.WaitForFunctionAsync("() => document.getElementById('audio').currentTime < 3");
        await other.Keyboard.PressAsync("k");
        await other.WaitForFunctionAsync("() => !document.getElementById('audio').paused");
    }

    protected async Task ReplaceExpiredUrlAsync()
    {
        await using var context = await NewListenerAsync();
        var page = await context.NewPageAsync();
        await RegisterAsync(page);
        await CreateBookAsync(page, "Expiring");
        await page.Locator("#files").SetInputFilesAsync([Theme]);
        await Expect(page.Locator(".upload.done")).ToHaveCountAsync(1, new() { Timeout = BrowserFixture.UploadTimeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Play 02 - Theme" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('audio').duration > 30");
        await page.Locator("#seek").FillAsync("30");
        await page.WaitForFunctionAsync("() => document.getElementById('audio').currentTime >= 30");
        await PauseAndWaitForSaveAsync(page);

        // Storage refuses the next audio request the way it refuses an expired signature.
        var refused = 0;
        await page.RouteAsync("**/*.m4a*", async route =>
        {
            if (Interlocked.Increment(ref refused) == 1)
            {
                await route.FulfillAsync(new() { Status = 403, Body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>" });
                return;
            }
            await route.ContinueAsync();
        });
        var streamUrls = 0;
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/stream", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref streamUrls);
            }
        };

        await page.ReloadAsync();
        await page.WaitForFunctionAsync(
            "() => { const a = document.getElementById('audio'); return a.readyState >= 1 && Math.abs(a.currentTime - 30) < 3; }",
            null, new() { Timeout = BrowserFixture.ExpectTimeout });
        Assert.True(refused >= 2, "the refused request was not retried");
        Assert.True(streamUrls >= 2, "no fresh stream URL was fetched");
    }

    protected async Task ShowRejectionAsync()
    {
        await using var context = await NewListenerAsync();
        var page = await context.NewPageAsync();
        await RegisterAsync(page);
        await CreateBookAsync(page, "Bad Files");

        await page.Locator("#files").SetInputFilesAsync([Media.Mp4Samples.PathOf("mp3-renamed.m4a"), Media.Mp4Samples.PathOf("tone.wav")]);

        var failed = page.Locator(".upload.failed");
        await Expect(failed).ToHaveCountAsync(2, new() { Timeout = BrowserFixture.UploadTimeout });
        await Expect(failed.Nth(0)).ToContainTextAsync("Not added:");
        await Expect(page.Locator(".upload.failed", new() { HasText = "mp3-renamed.m4a" })).ToContainTextAsync("MP4");
        await Expect(page.Locator(".upload.failed", new() { HasText = "tone.wav" })).ToContainTextAsync(".m4a and .mp4");
        await Expect(page.Locator(".chapter")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rejected.png"), FullPage = true });
    }

    protected async Task SignInWithKeyboardAsync()
    {
        await using var context = await NewListenerAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "sign-in-phone.png") });

        // The screen puts focus on its content: the first Tab reaches the e-mail field.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("E-mail")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("nobody@example.com");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password (10 characters or more)")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("wrong wrong wrong");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong e-mail address or password.");
    }

    protected async Task RenewAndSignOutAsync()
    {
        await using var context = await NewListenerAsync();
        var page = await context.NewPageAsync();
        await RegisterAsync(page);
        await CreateBookAsync(page, "Kept Signed In");
        await page.GotoAsync(BaseUrl + "/#/");
        // The library must have finished loading first: a call still in flight when the token is
        // spoilt would refresh in this page, and the reload below would then have nothing to renew.
        await Expect(page.GetByText("Kept Signed In")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var refreshBefore = await page.EvaluateAsync<string>("() => sessionStorage.getItem('audiobook.refresh')");

        // The access token "expires" (an invalid one stands in): the next call is a 401, then a refresh.
        await page.EvaluateAsync("() => sessionStorage.setItem('audiobook.token', 'eyJhbGciOiJIUzI1NiJ9.e30.expired')");
        var refreshed = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/auth/refresh", StringComparison.Ordinal) && r.Status == 200);
        await page.ReloadAsync();
        await refreshed;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your library" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Kept Signed In")).ToBeVisibleAsync();
        var refreshAfter = await page.EvaluateAsync<string>("() => sessionStorage.getItem('audiobook.refresh')");
        Assert.NotEqual(refreshBefore, refreshAfter);

        var loggedOut = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/auth/logout", StringComparison.Ordinal) && r.Status == 204);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await loggedOut;
        await Expect(page.GetByLabel("E-mail")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('audiobook.refresh')"));
        var reuse = await context.APIRequest.PostAsync(BaseUrl + "/api/v1/auth/refresh", new() { DataObject = new { refreshToken = refreshAfter } });
        Assert.Equal(401, reuse.Status);
    }

    protected async Task BackOffAsync()
    {
        await using var context = await NewListenerAsync();
        var page = await context.NewPageAsync();
        await RegisterAsync(page);
        await CreateBookAsync(page, "Patience");
        var asked = new List<DateTimeOffset>();
        await page.RouteAsync("**/api/v1/books?*", async route =>
        {
            asked.Add(DateTimeOffset.UtcNow);
            if (asked.Count == 1)
            {
                // As the API answers past an account's budget (RateLimits:PerUser).
                await route.FulfillAsync(new()
                {
                    Status = 429,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = "{\"status\":429,\"title\":\"Too many requests\",\"detail\":\"Too many requests from this account.\"}",
                });
                return;
            }
            await route.ContinueAsync();
        });

        await page.GotoAsync(BaseUrl + "/#/");

        await Expect(page.GetByText("Patience")).ToBeVisibleAsync();
        Assert.Equal(2, asked.Count);
        Assert.True(asked[1] - asked[0] >= TimeSpan.FromSeconds(0.9), $"retried after {(asked[1] - asked[0]).TotalMilliseconds} ms");
    }

    protected async Task DownloadAsync()
    {
        await using var context = await NewListenerAsync();
        var page = await context.NewPageAsync();
        await RegisterAsync(page);
        await CreateBookAsync(page, "To Keep");
        await page.Locator("#files").SetInputFilesAsync([Theme]);
        await Expect(page.Locator(".upload.done")).ToHaveCountAsync(1, new() { Timeout = BrowserFixture.UploadTimeout });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download 02 - Theme" }).ClickAsync());

        Assert.Equal("02 - Theme.m4a", download.SuggestedFilename);
        Assert.Equal(AudioOrigin.Authority, new Uri(download.Url).Authority);
        var saved = Path.Combine(BrowserFixture.ScreenshotDirectory, $"download-{Guid.NewGuid():N}.m4a");
        await download.SaveAsAsync(saved);
        Assert.Equal(await File.ReadAllBytesAsync(Theme, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
        File.Delete(saved);
        await Expect(page.Locator(".chapter")).ToHaveCountAsync(1);
    }

    protected async Task ResumeLargeUploadAsync()
    {
        const int partSize = 8 * 1024 * 1024;
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"whole-book-{Guid.NewGuid():N}.m4a");
        var file = Audiobook.Load.PaddedMp4.MoovAtEnd(Audiobook.Tests.Media.Mp4Samples.Read("moov-at-end.m4a"), 5L * partSize - 12345);
        await File.WriteAllBytesAsync(path, file.ToArray(), TestContext.Current.CancellationToken);
        try
        {
            await using var context = await NewListenerAsync();
            var page = await context.NewPageAsync();
            await RegisterAsync(page);
            await CreateBookAsync(page, "The Whole Book");

            // Storage takes parts 1 and 2; the others are held until the network goes, and fail with it.
            var stored = new ConcurrentBag<int>();
            var twoStored = new TaskCompletionSource();
            var cut = new TaskCompletionSource();
            await context.RouteAsync(url => PartNumber(url) is not null, async route =>
            {
                var number = PartNumber(route.Request.Url)!.Value;
                if (number > 2 && !cut.Task.IsCompleted)
                {
                    await cut.Task;
                    await route.AbortAsync("internetdisconnected");
                    return;
                }
                await route.ContinueAsync();
            });
            page.Response += (_, response) =>
            {
                if (PartNumber(response.Url) is { } number && response.Request.Method == "PUT" && response.Status == 200)
                {
                    stored.Add(number);
                    if (stored.Count == 2)
                    {
                        twoStored.TrySetResult();
                    }
                }
            };

            await page.Locator("#files").SetInputFilesAsync([path]);
            await twoStored.Task.WaitAsync(TimeSpan.FromMilliseconds(BrowserFixture.UploadTimeout), TestContext.Current.CancellationToken);
            await context.SetOfflineAsync(true);
            cut.SetResult();
            await Expect(page.Locator(".upload .state")).ToContainTextAsync("Connection lost");
            Assert.Equal([1, 2], stored.Order());

            // Back online, a reload forgets everything but the upload's id; the same file picked again
            // sends the three parts storage does not hold, and nothing else.
            await context.SetOfflineAsync(false);
            await page.ReloadAsync();
            var resent = new ConcurrentBag<int>();
            page.Request += (_, request) =>
            {
                if (PartNumber(request.Url) is { } number && request.Method == "PUT")
                {
                    resent.Add(number);
                }
            };
            await page.Locator("#files").SetInputFilesAsync([path]);
            await Expect(page.Locator(".upload.done")).ToHaveCountAsync(1, new() { Timeout = BrowserFixture.UploadTimeout });

            // Each of the three once: 2 × 8 MiB of the file's 40 MiB were not sent again.
            Assert.Equal([3, 4, 5], resent.Order());
            await Expect(page.Locator(".chapter")).ToHaveCountAsync(1);
            Assert.Equal("{}", await page.EvaluateAsync<string>("() => localStorage.getItem('audiobook.uploads')"));
        }
        finally
        {
            File.Delete(path);
        }

        static int? PartNumber(string url) =>
            System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["partNumber"] is { } number ? int.Parse(number, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A browser profile of its own, with its own client address for the per-client sign-in limit.</summary>
    protected async Task<IBrowserContext> NewListenerAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = $"192.0.2.{Random.Shared.Next(1, 255)}" };
        var context = await browser.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(BrowserFixture.ActionTimeout);
        return context;
    }

    private async Task<(string Email, string Password)> RegisterAsync(IPage page)
    {
        var email = $"browser-{Guid.NewGuid():N}@example.com";
        const string password = "a long listening passphrase";
        await page.GotoAsync(BaseUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password (10 characters or more)").FillAsync(password);
        await page.GetByLabel("Your name").FillAsync("Browser Listener");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your library" })).ToBeVisibleAsync();
        return (email, password);
    }

    /// <summary>What the page's console says the Content-Security-Policy refused, as it happens.</summary>
    private static ConcurrentBag<string> CspViolations(IPage page)
    {
        var violations = new ConcurrentBag<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    /// <summary>Pauses the player and waits until the API has stored the position.</summary>
    private static async Task PauseAndWaitForSaveAsync(IPage page)
    {
        var saved = page.WaitForResponseAsync(r => r.Url.EndsWith("/progress", StringComparison.Ordinal) && r.Request.Method == "PUT" && r.Status == 200);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await saved;
    }

    private static async Task CreateBookAsync(IPage page, string title)
    {
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Author").FillAsync("Tester");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        try
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "failed-create.png"), FullPage = true });
            throw;
        }
    }
}
