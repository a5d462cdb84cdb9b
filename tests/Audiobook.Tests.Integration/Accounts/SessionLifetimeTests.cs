using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>
/// A session ends at its absolute lifetime, however often it is refreshed: a refresh token stolen once
/// cannot be kept alive for ever by refreshing it.
/// </summary>
public sealed class SessionLifetimeTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_session_refreshed_every_day_ends_at_its_absolute_lifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = InProcessApi.Create(apphost, "Development", new Dictionary<string, string>
        {
            ["Accounts:Sessions:AbsoluteLifetime"] = "3.00:00:00",
        }).WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var user = await CreateAsync(api.CreateClient());
        var refresh = user.RefreshToken;

        for (var day = 1; day <= 2; day++)
        {
            clock.Advance(TimeSpan.FromDays(1));
            refresh = (await ReadAsync(await RefreshAsync(user.Http, refresh), HttpStatusCode.OK))["refreshToken"]!.GetValue<string>();
        }
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var ended = await ExpectProblem(await RefreshAsync(user.Http, refresh), HttpStatusCode.Unauthorized);
        Assert.Equal("Session ended", ended["title"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient http, string refreshToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh") { Content = JsonContent.Create(new { refreshToken }) };
        request.Headers.Authorization = null;
        return http.SendAsync(request, Token);
    }
}
