using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Accounts;

/// <summary>Password guessing against one account slows down; the owner gets back in after the wait, and from then on is not slowed by others' guesses.</summary>
public sealed class SignInThrottleTests(AppHostFixture apphost)
{
    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_from_a_new_address_waits_then_works_and_that_address_is_known()
    {
        using var user = await CreateAsync(apphost);
        using var attacker = Anonymous(apphost);
        for (var i = 0; i < 5; i++)
        {
            await ExpectProblem(await LoginAsync(attacker, user.Email, "wrong guess number " + i), HttpStatusCode.Unauthorized);
        }

        using var owner = Anonymous(apphost); // another address: the per-address limit is not what stops it
        var slowed = await LoginAsync(owner, user.Email, user.Password);

        var problem = await ExpectProblem(slowed, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many failed sign-ins", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var wait = int.Parse(slowed.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(wait, 1, 2);

        await Task.Delay(TimeSpan.FromSeconds(wait + 0.2), Token);
        await ReadAsync(await LoginAsync(owner, user.Email, user.Password), HttpStatusCode.OK);
        // The owner's address is one the account knows now: it signs in again at once, while the
        // attacker's next guess is still slowed down (the owner's success gave it nothing).
        await ReadAsync(await LoginAsync(owner, user.Email, user.Password), HttpStatusCode.OK);
        await ExpectProblem(await LoginAsync(attacker, user.Email, "one more wrong guess"), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_unknown_address_is_slowed_down_the_same_way_so_the_answer_reveals_nothing()
    {
        using var owner = await CreateAsync(apphost);
        var unknown = await GuessSixTimesAsync($"nobody-{Guid.NewGuid():N}@example.com");
        var existing = await GuessSixTimesAsync(owner.Email);

        // Status, title, detail and Retry-After: nothing tells an account that exists from one that does not.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], unknown.Select(a => a.Status));
        Assert.Equal(unknown, existing);
    }

    private async Task<List<(HttpStatusCode Status, string? Title, string? Detail, string? RetryAfter)>> GuessSixTimesAsync(string email)
    {
        using var attacker = Anonymous(apphost);
        var answers = new List<(HttpStatusCode, string?, string?, string?)>();
        for (var i = 0; i < 6; i++)
        {
            var response = await LoginAsync(attacker, email, "wrong guess number " + i);
            var problem = await ExpectProblem(response, response.StatusCode);
            answers.Add((response.StatusCode, problem["title"]?.GetValue<string>(), problem["detail"]?.GetValue<string>(),
                response.Headers.TryGetValues("Retry-After", out var after) ? after.Single() : null));
        }
        return answers;
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, Token);
}
