using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>
/// Password guessing, tried as an attacker would: many addresses at once, two API instances, against
/// an account whose owner keeps signing in. The attacker gets one password check per allowed slot,
/// whatever the concurrency; the owner, from an address it signed in from before, is never refused
/// because of the attacker; and none of it tells whether an address has an account.
/// </summary>
public sealed class PasswordGuessingTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Guesses_sent_at_once_from_many_addresses_to_two_instances_get_one_password_check()
    {
        using var user = await CreateAsync(apphost);
        await using var second = await SecondInstanceAsync();
        for (var i = 0; i < 5; i++)
        {
            await ExpectProblem(await LoginAsync(Anonymous(apphost), user.Email, "wrong guess " + i), HttpStatusCode.Unauthorized);
        }
        // Two more guesses, each after its wait: the next slot then comes 8 s after the one the burst
        // takes, which the burst does not outlast even on a busy machine (each check hashes for ~0.2 s).
        for (var i = 0; i < 3; i++)
        {
            var slowed = await LoginAsync(Anonymous(apphost), user.Email, "slowed guess " + i);
            await ExpectProblem(slowed, HttpStatusCode.TooManyRequests);
            await Task.Delay(TimeSpan.FromSeconds(RetryAfter(slowed) + 0.3), Token);
            if (i < 2)
            {
                await ExpectProblem(await LoginAsync(Anonymous(apphost), user.Email, "waited guess " + i), HttpStatusCode.Unauthorized);
            }
        }

        // The wait is over: thirty guesses at once, from thirty addresses, half of them to another instance.
        var guesses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            LoginAsync(i % 2 == 0 ? Anonymous(apphost) : FromAddress(second.Address, i), user.Email, "parallel guess " + i)));

        var checkedPasswords = guesses.Count(g => g.StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(1, checkedPasswords);
        Assert.Equal(29, guesses.Count(g => g.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(guesses.Where(g => g.StatusCode == HttpStatusCode.TooManyRequests), g => Assert.True(RetryAfter(g) >= 1));
    }

    [Fact]
    public async Task The_owner_signs_in_from_an_address_it_used_before_while_an_attacker_is_slowed_down()
    {
        using var owner = await CreateAsync(apphost); // registered and signed in from its own address

        // An attacker guesses from many addresses until the account is slowed down for everyone else.
        for (var i = 0; i < 5; i++)
        {
            await ExpectProblem(await LoginAsync(Anonymous(apphost), owner.Email, "attack " + i), HttpStatusCode.Unauthorized);
        }
        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => LoginAsync(Anonymous(apphost), owner.Email, "burst " + i)));
        Assert.Contains(burst, b => b.StatusCode == HttpStatusCode.TooManyRequests);
        var stranger = await LoginAsync(Anonymous(apphost), owner.Email, owner.Password);
        await ExpectProblem(stranger, HttpStatusCode.TooManyRequests);

        // The owner's own address is not the attacker's: the right password works at once.
        var back = await owner.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = owner.Email, password = owner.Password }, Token);

        await ReadAsync(back, HttpStatusCode.OK);
        // And the attacker, from yet another address, is still slowed down.
        await ExpectProblem(await LoginAsync(Anonymous(apphost), owner.Email, "after"), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_address_without_an_account_answers_exactly_as_one_with_an_account()
    {
        using var user = await CreateAsync(apphost);
        var nobody = $"nobody-{Guid.NewGuid():N}@example.com";

        var known = await GuessSevenTimesAsync(user.Email);
        var unknown = await GuessSevenTimesAsync(nobody);

        Assert.Equal(known.Select(a => a.Status), unknown.Select(a => a.Status));
        Assert.Equal(known.Select(a => a.Title + " | " + a.Detail), unknown.Select(a => a.Title + " | " + a.Detail));
        Assert.Equal(known.Select(a => a.RetryAfter is not null), unknown.Select(a => a.RetryAfter is not null));
        Assert.Equal(HttpStatusCode.TooManyRequests, known[^1].Status);
    }

    private async Task<List<(HttpStatusCode Status, string Title, string Detail, string? RetryAfter)>> GuessSevenTimesAsync(string email)
    {
        var answers = new List<(HttpStatusCode, string, string, string?)>();
        for (var i = 0; i < 7; i++)
        {
            var answer = await LoginAsync(Anonymous(apphost), email, "wrong guess " + i);
            var problem = (await answer.Content.ReadFromJsonAsync<JsonObject>(Token))!;
            answers.Add((answer.StatusCode, problem["title"]!.GetValue<string>(), problem["detail"]!.GetValue<string>(),
                answer.Headers.TryGetValues("Retry-After", out var retry) ? retry.Single() : null));
        }
        return answers;
    }

    /// <summary>A second instance of the API (another process, the same tables), as Lambda scales out.</summary>
    private Task<ApiProcess> SecondInstanceAsync() =>
        ApiProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Audiobook.Api.dll"), ApiProcess.ProductionSettings(apphost.ApiEnvironment), Token);

    private static int counter;

    /// <summary>A client of another instance, from an address of its own (X-Forwarded-For, trusted from loopback).</summary>
    private static HttpClient FromAddress(Uri api, int n)
    {
        var http = new HttpClient { BaseAddress = api };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{(Interlocked.Increment(ref counter) + n) % 250 + 1}");
        return http;
    }

    private static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, Token);
}
