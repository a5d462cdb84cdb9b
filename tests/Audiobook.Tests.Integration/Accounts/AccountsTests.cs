using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

public sealed class AccountsTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Register_answers_201_with_the_account_and_me_returns_it()
    {
        using var user = await CreateAsync(apphost, "Ada Listener");

        var me = await ReadAsync(await user.Http.GetAsync("/api/v1/me", Token), HttpStatusCode.OK);

        Assert.Equal(user.Id, me["id"]!.GetValue<string>());
        Assert.Equal(user.Email, me["email"]!.GetValue<string>());
        Assert.Equal("Ada Listener", me["displayName"]!.GetValue<string>());
        Assert.Null(me["passwordHash"]);
    }

    [Fact]
    public async Task Registering_a_taken_email_in_other_case_is_409()
    {
        using var user = await CreateAsync(apphost);
        using var http = Anonymous(apphost);

        var again = await http.PostAsJsonAsync("/api/v1/auth/register",
            new { email = user.Email.ToUpperInvariant(), password = "another fine passphrase", displayName = "Copy" }, Token);

        await ExpectProblem(again, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("short", "password")]
    [InlineData("aaaaaaaaaaaaaaaa", "password")]
    [InlineData(null, "password")]
    public async Task A_weak_password_is_400_naming_the_field(string? password, string field)
    {
        using var http = Anonymous(apphost);
        var response = await http.PostAsJsonAsync("/api/v1/auth/register",
            new { email = $"weak-{Guid.NewGuid():N}@example.com", password, displayName = "Weak" }, Token);

        var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("spaces in@example.com")]
    [InlineData("")]
    public async Task A_bad_email_is_400(string email)
    {
        using var http = Anonymous(apphost);
        var response = await http.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = "a long listening passphrase", displayName = "Bad" }, Token);

        var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["email"]);
    }

    [Fact]
    public async Task Login_answers_a_short_lived_bearer_token_and_a_refresh_token()
    {
        using var user = await CreateAsync(apphost);
        using var http = Anonymous(apphost);

        var token = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }, Token), HttpStatusCode.OK);

        Assert.Equal("Bearer", token["tokenType"]!.GetValue<string>());
        Assert.Equal(900, token["expiresIn"]!.GetValue<int>());
        Assert.Equal(3, token["accessToken"]!.GetValue<string>().Split('.').Length);
        Assert.Matches("^[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}$", token["refreshToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_401()
    {
        using var user = await CreateAsync(apphost);
        using var http = Anonymous(apphost);

        var wrongPassword = await ExpectProblem(
            await http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "not the passphrase" }, Token), HttpStatusCode.Unauthorized);
        var unknownEmail = await ExpectProblem(
            await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-" + user.Email, password = user.Password }, Token), HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword["title"]!.GetValue<string>(), unknownEmail["title"]!.GetValue<string>());
        Assert.Equal(wrongPassword["detail"]!.GetValue<string>(), unknownEmail["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_is_rate_limited_per_client_with_429()
    {
        using var http = Anonymous(apphost);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            // A new address each time: the per-account slow-down is not what is tested here.
            var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "wrong wrong wrong" }, Token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ExpectProblem(response, HttpStatusCode.TooManyRequests);
                Assert.True(response.Headers.Contains("Retry-After"));
                break;
            }
        }

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // Another client is not affected.
        using var other = Anonymous(apphost);
        var fresh = await other.PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "wrong wrong wrong" }, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, fresh.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not.a.token")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Without_a_valid_token_api_routes_are_401_problems(string? authorization)
    {
        using var http = Anonymous(apphost);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/books");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        await ExpectProblem(await http.SendAsync(request, Token), HttpStatusCode.Unauthorized);
    }
}
