using System.Net;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Security;

/// <summary>
/// One client with one token cannot take the API for itself: each account has its own budget of
/// requests (a token bucket), stream URLs a smaller one of their own, and everybody else is served.
/// </summary>
public sealed class PerUserRateLimitTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_flood_from_one_account_is_throttled_with_retry_after_and_other_accounts_are_served()
    {
        using var flooder = await CreateAsync(apphost);
        using var neighbour = await CreateAsync(apphost);

        var answers = await FloodAsync(flooder.Http, "/api/v1/books", total: 200, concurrency: 20);

        var throttled = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"answered {(int)a.StatusCode}"));
        await ExpectProblem(throttled[0], HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(throttled[0].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        await Expect(await neighbour.Http.GetAsync("/api/v1/books", Token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Stream_urls_have_a_budget_of_their_own()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = IdOf(await user.AddChapterAsync(bookId));

        var answers = await FloodAsync(user.Http, $"/api/v1/books/{bookId}/chapters/{chapter}/stream", total: 60, concurrency: 4);

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        // The account's other routes still answer: the stream-URL budget is its own.
        await Expect(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
    }

    private static async Task<List<HttpResponseMessage>> FloodAsync(HttpClient http, string path, int total, int concurrency)
    {
        var answers = new System.Collections.Concurrent.ConcurrentBag<HttpResponseMessage>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= total)
            {
                answers.Add(await http.GetAsync(path, Token));
            }
        }));
        return [.. answers];
    }
}
