using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>Refresh tokens (rotated on every use, reuse ends the session), sign-out, and their access tokens.</summary>
public sealed class SessionTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_refresh_token_buys_a_new_pair_once_and_the_new_access_token_works()
    {
        using var user = await CreateAsync(apphost);

        var renewed = await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK);

        var access = renewed["accessToken"]!.GetValue<string>();
        var refresh = renewed["refreshToken"]!.GetValue<string>();
        Assert.NotEqual(user.AccessToken, access);
        Assert.NotEqual(user.RefreshToken, refresh);
        Assert.Equal(user.RefreshToken[..32], refresh[..32]); // the same session, a new secret
        Assert.Equal(user.Id, (await ReadAsync(await GetMeAsync(user.Http, access), HttpStatusCode.OK))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Presenting_an_old_refresh_token_again_ends_the_session_for_every_holder()
    {
        using var user = await CreateAsync(apphost);
        var second = (await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK))["refreshToken"]!.GetValue<string>();
        var third = await RefreshAsync(user.Http, second, HttpStatusCode.OK);

        // The first token is two rotations old: a thief replaying it (or the victim, after the thief used it).
        var replay = await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.Unauthorized);

        Assert.Contains("already used", replay["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await RefreshAsync(user.Http, third["refreshToken"]!.GetValue<string>(), HttpStatusCode.Unauthorized);
        await ExpectProblem(await GetMeAsync(user.Http, third["accessToken"]!.GetValue<string>()), HttpStatusCode.Unauthorized);
        await ExpectProblem(await GetMeAsync(user.Http, user.AccessToken), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_client_that_retries_a_refresh_whose_answer_it_lost_is_not_signed_out()
    {
        using var user = await CreateAsync(apphost);
        await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK); // answer "lost"

        var retried = await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK);

        var next = await RefreshAsync(user.Http, retried["refreshToken"]!.GetValue<string>(), HttpStatusCode.OK);
        await ReadAsync(await GetMeAsync(user.Http, next["accessToken"]!.GetValue<string>()), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_tabs_refreshing_the_same_token_at_once_both_stay_signed_in()
    {
        using var user = await CreateAsync(apphost);

        var both = await Task.WhenAll(
            RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK),
            RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.OK));

        foreach (var tokens in both)
        {
            await ReadAsync(await GetMeAsync(user.Http, tokens["accessToken"]!.GetValue<string>()), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Sign_out_ends_the_access_token_and_the_refresh_token_but_not_other_devices()
    {
        using var user = await CreateAsync(apphost);
        using var phone = Anonymous(apphost);
        var phoneTokens = await ReadAsync(await phone.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token), HttpStatusCode.OK);

        var signOut = await user.Http.PostAsync("/api/v1/auth/logout", null, Token);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await ExpectProblem(await user.Http.GetAsync("/api/v1/books", Token), HttpStatusCode.Unauthorized);
        await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.Unauthorized);
        await ReadAsync(await GetMeAsync(phone, phoneTokens["accessToken"]!.GetValue<string>()), HttpStatusCode.OK);
        await RefreshAsync(phone, phoneTokens["refreshToken"]!.GetValue<string>(), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_with_a_sessions_id_and_a_wrong_secret_is_401_and_ends_nothing()
    {
        using var victim = await CreateAsync(apphost);
        using var attacker = Anonymous(apphost);
        // The session id travels in the access token (sid) and opens the refresh token: an attacker may know it.
        var forged = victim.RefreshToken[..33] + new string('A', 43);

        var guess = await RefreshAsync(attacker, forged, HttpStatusCode.Unauthorized);

        Assert.DoesNotContain("already used", guess["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await ReadAsync(await GetMeAsync(victim.Http, victim.AccessToken), HttpStatusCode.OK);
        await RefreshAsync(victim.Http, victim.RefreshToken, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_out_with_the_refresh_token_alone_ends_the_session()
    {
        using var user = await CreateAsync(apphost);
        using var idlePage = Anonymous(apphost); // its access token has expired: it holds the refresh token only

        var signOut = await idlePage.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = user.RefreshToken }, Token);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await RefreshAsync(user.Http, user.RefreshToken, HttpStatusCode.Unauthorized);
        await ExpectProblem(await GetMeAsync(user.Http, user.AccessToken), HttpStatusCode.Unauthorized);
        // A token that is not a session's current one signs nothing out.
        await ExpectProblem(await idlePage.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = user.RefreshToken[..33] + new string('B', 43) }, Token), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_refresh_without_a_token_is_a_400_naming_the_field()
    {
        using var http = Anonymous(apphost);

        var problem = await ExpectProblem(await http.PostAsJsonAsync("/api/v1/auth/refresh", new { }, Token), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["refreshToken"]);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdef.<script>alert(1)</script>AAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_refresh_token_is_a_401_problem(string refreshToken)
    {
        using var http = Anonymous(apphost);

        var problem = await RefreshAsync(http, refreshToken, HttpStatusCode.Unauthorized);

        Assert.Equal("Session ended", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_out_without_a_token_is_401()
    {
        using var http = Anonymous(apphost);

        await ExpectProblem(await http.PostAsync("/api/v1/auth/logout", null, Token), HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonObject> RefreshAsync(HttpClient http, string refreshToken, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh") { Content = JsonContent.Create(new { refreshToken }) };
        request.Headers.Authorization = null;
        var response = await http.SendAsync(request, Token);
        return expected == HttpStatusCode.OK ? await ReadAsync(response, expected) : await ExpectProblem(response, expected);
    }

    private static Task<HttpResponseMessage> GetMeAsync(HttpClient http, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(request, Token);
    }
}
