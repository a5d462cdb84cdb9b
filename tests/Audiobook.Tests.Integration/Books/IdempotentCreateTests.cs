using System.Net;
using System.Net.Http.Json;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Books;

/// <summary>A create retried with the same Idempotency-Key makes one book, however the retries overlap.</summary>
public sealed class IdempotentCreateTests(AppHostFixture apphost)
{
    [Fact]
    public async Task The_same_key_sent_three_times_at_once_makes_one_book()
    {
        using var user = await CreateAsync(apphost);
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(user, key, "Dune")));

        var ids = new List<string>();
        foreach (var answer in answers)
        {
            ids.Add(IdOf(await ReadAsync(answer, HttpStatusCode.Created)));
        }
        Assert.Single(ids.Distinct());
        var page = await ReadAsync(await user.Http.GetAsync("/api/v1/books", Token), HttpStatusCode.OK);
        Assert.Equal(ids[0], IdOf(page["items"]!.AsArray().Single()!.AsObject()));
    }

    [Fact]
    public async Task Another_request_with_a_used_key_is_422_and_a_new_key_makes_a_new_book()
    {
        using var user = await CreateAsync(apphost);
        var key = Guid.NewGuid().ToString();
        await ReadAsync(await SendAsync(user, key, "Dune"), HttpStatusCode.Created);

        await ExpectProblem(await SendAsync(user, key, "Emma"), HttpStatusCode.UnprocessableEntity);
        await ReadAsync(await SendAsync(user, Guid.NewGuid().ToString(), "Emma"), HttpStatusCode.Created);

        var page = await ReadAsync(await user.Http.GetAsync("/api/v1/books", Token), HttpStatusCode.OK);
        Assert.Equal(2, page["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Keys_are_per_account_and_a_bad_key_is_400()
    {
        using var alice = await CreateAsync(apphost);
        using var bob = await CreateAsync(apphost);
        var key = Guid.NewGuid().ToString();

        var hers = IdOf(await ReadAsync(await SendAsync(alice, key, "Dune"), HttpStatusCode.Created));
        var his = IdOf(await ReadAsync(await SendAsync(bob, key, "Dune"), HttpStatusCode.Created));

        Assert.NotEqual(hers, his);
        var problem = await ExpectProblem(await SendAsync(alice, new string('k', 101), "Dune"), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task A_retry_after_the_book_was_deleted_is_409_not_a_ghost()
    {
        using var user = await CreateAsync(apphost);
        var key = Guid.NewGuid().ToString();
        var bookId = IdOf(await ReadAsync(await SendAsync(user, key, "Dune"), HttpStatusCode.Created));
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token)).StatusCode);

        await ExpectProblem(await SendAsync(user, key, "Dune"), HttpStatusCode.Conflict);
    }

    private static Task<HttpResponseMessage> SendAsync(ApiUser user, string key, string title)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/books") { Content = JsonContent.Create(new { title, author = "Someone" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return user.Http.SendAsync(request, Token);
    }
}
