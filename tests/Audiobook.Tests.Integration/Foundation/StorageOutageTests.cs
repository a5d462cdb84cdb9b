using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The storage emulator goes away mid-run: the API answers 503 problems with Retry-After (never a
/// 500, never a hang), /health turns unhealthy, and when storage is back everything works again
/// without restarting the API.
/// </summary>
[Collection(IsolatedAppHost.Name)]
public sealed class StorageOutageTests(IsolatedAppHost isolated)
{
    [Fact]
    public async Task An_outage_is_a_503_with_retry_after_and_service_resumes_when_storage_returns()
    {
        var host = isolated.Host;
        var commands = host.App.Services.GetRequiredService<ResourceCommandService>();
        using var user = await CreateAsync(host);
        using var anonymous = Anonymous(host);

        var bookId = IdOf(await user.CreateBookAsync());
        var chapterId = IdOf(await user.AddChapterAsync(bookId));

        var stopped = await commands.ExecuteCommandAsync("aws", KnownResourceCommands.StopCommand, Token);
        Assert.True(stopped.Success, stopped.Message);
        var answers = new List<string>();
        try
        {
            // Every route that needs storage (all but health's liveness): a 503 problem with Retry-After, never a 500.
            var book = $"/api/v1/books/{bookId}";
            var routes = new (string Name, Func<Task<HttpResponseMessage>> Call)[]
            {
                ("list books", () => user.Http.GetAsync("/api/v1/books", Token)),
                ("create book", () => user.Http.PostAsJsonAsync("/api/v1/books", new { title = "During the outage", author = "A" }, Token)),
                ("login", () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token)),
                ("get book", () => user.Http.GetAsync(book, Token)),
                ("patch book", () => user.Http.PatchAsJsonAsync(book, new { title = "Renamed" }, Token)),
                ("delete book", () => user.Http.DeleteAsync(book, Token)),
                ("list chapters", () => user.Http.GetAsync($"{book}/chapters", Token)),
                ("get chapter", () => user.Http.GetAsync($"{book}/chapters/{chapterId}", Token)),
                ("rename chapter", () => user.Http.PatchAsJsonAsync($"{book}/chapters/{chapterId}", new { title = "Renamed" }, Token)),
                ("stream URL", () => user.Http.GetAsync($"{book}/chapters/{chapterId}/stream", Token)),
                ("create upload", () => user.Http.PostAsJsonAsync($"{book}/uploads", new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = 10 }, Token)),
                ("complete upload", () => user.Http.PostAsync($"{book}/uploads/{new string('a', 32)}/complete", null, Token)),
                ("create cover upload", () => user.Http.PostAsJsonAsync($"{book}/cover", new { contentType = "image/png", sizeBytes = 10 }, Token)),
                ("get cover", () => user.Http.GetAsync($"{book}/cover", Token)),
                ("save progress", () => user.Http.PutAsJsonAsync($"{book}/progress", new { chapterId, positionSeconds = 1, clientUpdatedAt = DateTimeOffset.UtcNow }, Token)),
                ("get progress", () => user.Http.GetAsync($"{book}/progress", Token)),
                ("recent progress", () => user.Http.GetAsync("/api/v1/me/progress", Token)),
                ("me", () => user.Http.GetAsync("/api/v1/me", Token)),
                ("refresh", () => anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken }, Token)),
                ("register", () => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email = $"o-{Guid.NewGuid():N}@example.com", password = "a long outage passphrase", displayName = "O" }, Token)),
            };
            // All at once, as clients keep calling during an outage: each must end, none may hang the others.
            var responses = await Task.WhenAll(routes.Select(async route => (route.Name, Response: await route.Call().WaitAsync(TimeSpan.FromSeconds(60), Token))));
            foreach (var (name, response) in responses)
            {
                answers.Add(name);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"During the outage, {name} answered {(int)response.StatusCode}.");
                await ExpectOutageAsync(response);
            }
            var health = await anonymous.GetAsync("/health", Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            // Storage returns (the emulator keeps data in memory: it comes back empty and is provisioned again).
            // No assertion here: one would hide the failure that brought us here.
            await commands.ExecuteCommandAsync("aws", KnownResourceCommands.StartCommand, Token);
            await host.App.ResourceNotifications.WaitForResourceHealthyAsync("aws", Token).WaitAsync(TimeSpan.FromMinutes(1), Token);
            var since = DateTime.UtcNow;
            await commands.ExecuteCommandAsync("provision", KnownResourceCommands.StartCommand, Token);
            await host.App.ResourceNotifications.WaitForResourceAsync("provision",
                e => e.Snapshot.State?.Text == KnownResourceStates.Finished && e.Snapshot.StartTimeStamp >= since.AddSeconds(-1), Token)
                .WaitAsync(TimeSpan.FromMinutes(1), Token);
        }
        Assert.Equal(20, answers.Count);

        // The same API process serves again: health, a new account, a new book.
        using var after = await CreateAsync(host);
        await after.CreateBookAsync("After the outage");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Token)).StatusCode);
    }

    private static async Task ExpectOutageAsync(HttpResponseMessage response)
    {
        var problem = await ExpectProblem(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter is not null, $"{response.RequestMessage?.RequestUri}: 503 without Retry-After");
        Assert.Contains("retry", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
