using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Quotas;

/// <summary>
/// Per-account limits, enforced where the request is made and concurrently: an API in this process
/// with small limits, against the AppHost's emulator. Each test's user is new, so its usage starts at zero.
/// </summary>
public sealed class QuotaTests(AppHostFixture apphost)
{
    private static readonly byte[] Sample = Mp4Samples.Read("faststart.m4a");

    private WebApplicationFactory<Audiobook.Api.ApiAssembly> Api(TimeProvider? clock = null)
    {
        var api = InProcessApi.Create(apphost, "Development", new Dictionary<string, string>
        {
            ["Quotas:MaxBooks"] = "3",
            ["Quotas:MaxOpenUploads"] = "3",
            ["Quotas:MaxStoredBytes"] = "100000",
        });
        return clock is null ? api : api.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
    }

    [Fact]
    public async Task A_book_past_the_limit_is_403_naming_it_and_a_deleted_one_makes_room()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());
        var books = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            books.Add(IdOf(await user.CreateBookAsync($"Book {i}")));
        }

        var refused = await ExpectProblem(await user.Http.PostAsJsonAsync("/api/v1/books", new { title = "One more", author = "A" }, Token), HttpStatusCode.Forbidden);
        Assert.Equal("books", refused["limit"]!.GetValue<string>());
        Assert.Equal(3, refused["allowed"]!.GetValue<long>());
        Assert.Equal(3, refused["used"]!.GetValue<long>());
        Assert.Contains("at most 3 books", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, (await UsageAsync(user))["books"]!.GetValue<long>());

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{books[0]}", Token), HttpStatusCode.NoContent);
        await user.CreateBookAsync("In its place");
        var listed = await ReadAsync(await user.Http.GetAsync("/api/v1/books?limit=100", Token), HttpStatusCode.OK);
        Assert.Equal(3, listed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task At_the_limit_an_idempotent_retry_gets_its_book_and_a_new_key_is_refused()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());
        await user.CreateBookAsync("One");
        await user.CreateBookAsync("Two");
        var first = await CreateWithKeyAsync(user, "key-3");
        await Expect(first, HttpStatusCode.Created);

        await Expect(await CreateWithKeyAsync(user, "key-3"), HttpStatusCode.Created);
        var refused = await ExpectProblem(await CreateWithKeyAsync(user, "key-4"), HttpStatusCode.Forbidden);
        Assert.Equal("books", refused["limit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_book_creations_cannot_pass_the_limit_together()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            user.Http.PostAsJsonAsync("/api/v1/books", new { title = $"Race {i}", author = "A" }, Token)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Forbidden));
        var listed = await ReadAsync(await user.Http.GetAsync("/api/v1/books?limit=100", Token), HttpStatusCode.OK);
        Assert.Equal(3, listed["items"]!.AsArray().Count);
        Assert.Equal(3, (await UsageAsync(user))["books"]!.GetValue<long>());
    }

    [Fact]
    public async Task Open_uploads_past_the_limit_are_refused_even_concurrently_and_a_finished_one_frees_its_place()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads", new { fileName = "c.m4a", contentType = "audio/mp4", sizeBytes = Sample.Length }, Token)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var refused = await ExpectProblem(answers.First(a => a.StatusCode != HttpStatusCode.Created), HttpStatusCode.Forbidden);
        Assert.Equal("openUploads", refused["limit"]!.GetValue<string>());
        Assert.Equal(3, refused["used"]!.GetValue<long>());
        Assert.Equal(3, (await apphost.UploadRecordsAsync(bookId)).Count);
        var usage = await UsageAsync(user);
        Assert.Equal(3, usage["openUploads"]!.GetValue<int>());
        Assert.Equal(3L * Sample.Length, usage["uploadingBytes"]!.GetValue<long>());

        var tickets = new List<JsonObject>();
        foreach (var created in answers.Where(a => a.StatusCode == HttpStatusCode.Created))
        {
            tickets.Add((await created.Content.ReadFromJsonAsync<JsonObject>(Token))!);
        }
        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/uploads/{tickets[0]["uploadId"]}", Token), HttpStatusCode.NoContent);
        await PutAsync(tickets[1], Sample);
        await ReadAsync(await user.CompleteAsync(bookId, tickets[1]["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);

        usage = await UsageAsync(user);
        Assert.Equal(1, usage["openUploads"]!.GetValue<int>());
        Assert.Equal(Sample.Length, usage["uploadingBytes"]!.GetValue<long>());
        Assert.Equal(Sample.Length, usage["storedBytes"]!.GetValue<long>());
        await user.CreateUploadAsync(bookId, Sample);
        await user.CreateUploadAsync(bookId, Sample);
        await ExpectProblem(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "c.m4a", contentType = "audio/mp4", sizeBytes = Sample.Length }, Token), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Stored_bytes_count_chapters_and_declared_uploads_and_come_back_when_they_go()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);

        var refused = await ExpectProblem(await DeclareAsync(user, bookId, 100_000 - Sample.Length + 1), HttpStatusCode.Forbidden);
        Assert.Equal("storedBytes", refused["limit"]!.GetValue<string>());
        Assert.Equal(100_000, refused["allowed"]!.GetValue<long>());
        Assert.Equal(Sample.Length, refused["used"]!.GetValue<long>());
        await ExpectProblem(await DeclareAsync(user, bookId, 1_000_000), HttpStatusCode.Forbidden);
        var fits = await ReadAsync(await DeclareAsync(user, bookId, 100_000 - Sample.Length), HttpStatusCode.Created);
        await ExpectProblem(await DeclareAsync(user, bookId, 1), HttpStatusCode.Forbidden);

        var me = await ReadAsync(await user.Http.GetAsync("/api/v1/me", Token), HttpStatusCode.OK);
        Assert.Equal(user.Email, me["email"]!.GetValue<string>());
        Assert.Equal(Sample.Length, me["usage"]!["storedBytes"]!.GetValue<long>());
        Assert.Equal(100_000 - Sample.Length, me["usage"]!["uploadingBytes"]!.GetValue<long>());
        Assert.Equal(100_000, me["limits"]!["storedBytes"]!.GetValue<long>());
        Assert.Equal(3, me["limits"]!["openUploads"]!.GetValue<int>());
        Assert.Equal(3, me["limits"]!["books"]!.GetValue<long>());

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/uploads/{fits["uploadId"]}", Token), HttpStatusCode.NoContent);
        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}", Token), HttpStatusCode.NoContent);
        var usage = await UsageAsync(user);
        Assert.Equal(0, usage["storedBytes"]!.GetValue<long>());
        Assert.Equal(0, usage["uploadingBytes"]!.GetValue<long>());

        // A book's deletion gives back its chapters' bytes and its open uploads' reservations.
        await user.AddChapterAsync(bookId);
        await DeclareAsync(user, bookId, 5000);
        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NoContent);
        usage = await UsageAsync(user);
        Assert.Equal(0, usage["books"]!.GetValue<long>());
        Assert.Equal(0, usage["storedBytes"]!.GetValue<long>());
        Assert.Equal(0, usage["uploadingBytes"]!.GetValue<long>());
        Assert.Equal(0, usage["openUploads"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_rejected_upload_gives_its_reservation_back()
    {
        await using var api = Api();
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var text = Mp4Samples.Read("text.m4a");
        var ticket = await user.UploadAsync(bookId, text);

        await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.UnsupportedMediaType);

        var usage = await UsageAsync(user);
        Assert.Equal(0, usage["openUploads"]!.GetValue<int>());
        Assert.Equal(0, usage["uploadingBytes"]!.GetValue<long>());
        Assert.Equal(0, usage["storedBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_upload_nobody_completes_holds_its_place_only_until_its_record_expires()
    {
        // The same account through an API whose clock is two days behind: the uploads it creates expired
        // (2 h of URL, a day of record) 22 hours ago by the clock of the API of today.
        await using var today = Api();
        await using var twoDaysAgo = Api(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2)));
        using var user = await CreateAsync(today.CreateClient());
        using var then = twoDaysAgo.CreateClient();
        then.DefaultRequestHeaders.Authorization = user.Http.DefaultRequestHeaders.Authorization;
        var bookId = IdOf(await user.CreateBookAsync());
        var abandoned = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            abandoned.Add(await ReadAsync(await then.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
                new { fileName = "c.m4a", contentType = "audio/mp4", sizeBytes = Sample.Length }, Token), HttpStatusCode.Created));
        }
        await ExpectProblem(await then.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "c.m4a", contentType = "audio/mp4", sizeBytes = Sample.Length }, Token), HttpStatusCode.Forbidden);
        Assert.Equal(0, (await UsageAsync(user))["openUploads"]!.GetValue<int>());

        await ReadAsync(await DeclareAsync(user, bookId, Sample.Length), HttpStatusCode.Created);

        var usage = await UsageAsync(user);
        Assert.Equal(1, usage["openUploads"]!.GetValue<int>());
        Assert.Equal(Sample.Length, usage["uploadingBytes"]!.GetValue<long>());
        await ExpectProblem(await user.CompleteAsync(bookId, abandoned[0]["uploadId"]!.GetValue<string>()), HttpStatusCode.NotFound);
    }

    private static async Task<JsonObject> UsageAsync(ApiUser user) =>
        (await ReadAsync(await user.Http.GetAsync("/api/v1/me", Token), HttpStatusCode.OK))["usage"]!.AsObject();

    private static Task<HttpResponseMessage> DeclareAsync(ApiUser user, string bookId, long size) =>
        user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads", new { fileName = "c.m4a", contentType = "audio/mp4", sizeBytes = size }, Token);

    private static Task<HttpResponseMessage> CreateWithKeyAsync(ApiUser user, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/books") { Content = JsonContent.Create(new { title = "Keyed", author = "A" }) };
        request.Headers.Add("Idempotency-Key", key);
        return user.Http.SendAsync(request, Token);
    }
}
