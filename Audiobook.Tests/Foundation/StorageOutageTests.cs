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

        var stopped = await commands.ExecuteCommandAsync("aws", KnownResourceCommands.StopCommand, Token);
        Assert.True(stopped.Success, stopped.Message);
        try
        {
            var calls = new Func<Task<HttpResponseMessage>>[]
            {
                () => user.Http.GetAsync("/api/v1/books", Token),
                () => user.Http.PostAsJsonAsync("/api/v1/books", new { title = "During the outage", author = "A" }, Token),
                () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token),
            };
            foreach (var call in calls)
            {
                var response = await call().WaitAsync(TimeSpan.FromSeconds(60), Token);
                var problem = await ExpectProblem(response, HttpStatusCode.ServiceUnavailable);
                Assert.True(response.Headers.RetryAfter is not null, "503 without Retry-After");
                Assert.Contains("retry", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            }
            var health = await anonymous.GetAsync("/health", Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            // Storage returns (the emulator keeps data in memory: it comes back empty and is provisioned again).
            Assert.True((await commands.ExecuteCommandAsync("aws", KnownResourceCommands.StartCommand, Token)).Success);
            await host.App.ResourceNotifications.WaitForResourceHealthyAsync("aws", Token).WaitAsync(TimeSpan.FromMinutes(1), Token);
            var since = DateTime.UtcNow;
            Assert.True((await commands.ExecuteCommandAsync("provision", KnownResourceCommands.StartCommand, Token)).Success);
            await host.App.ResourceNotifications.WaitForResourceAsync("provision",
                e => e.Snapshot.State?.Text == KnownResourceStates.Finished && e.Snapshot.StartTimeStamp >= since.AddSeconds(-1), Token)
                .WaitAsync(TimeSpan.FromMinutes(1), Token);
        }

        // The same API process serves again: health, a new account, a new book.
        using var after = await CreateAsync(host);
        await after.CreateBookAsync("After the outage");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Token)).StatusCode);
    }
}
