using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Books;

public sealed class BooksTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_whole_book()
    {
        using var user = await CreateAsync(apphost);

        var response = await user.Http.PostAsJsonAsync("/api/v1/books",
            new { title = "  War and Peace ", author = "Tolstoy", narrator = "Someone", description = "Long.\nVery long.", language = "en-GB" }, Token);
        var book = await ReadAsync(response, HttpStatusCode.Created);

        Assert.Equal($"/api/v1/books/{IdOf(book)}", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("War and Peace", book["title"]!.GetValue<string>());
        Assert.Equal("Long.\nVery long.", book["description"]!.GetValue<string>());
        Assert.Equal("en-GB", book["language"]!.GetValue<string>());
        Assert.Equal(0, book["chapterCount"]!.GetValue<int>());
        Assert.Equal(0, book["totalDurationSeconds"]!.GetValue<double>());
        Assert.NotNull(book["createdAt"]);
        Assert.NotNull(book["updatedAt"]);
    }

    [Fact]
    public async Task Create_validates_every_field()
    {
        using var user = await CreateAsync(apphost);

        var response = await user.Http.PostAsJsonAsync("/api/v1/books",
            new { title = "", author = new string('a', 5000), narrator = "bell\u0007", language = "not a language" }, Token);
        var problem = await ExpectProblem(response, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("title"));
        Assert.True(errors.ContainsKey("author"));
        Assert.True(errors.ContainsKey("narrator"));
        Assert.True(errors.ContainsKey("language"));
    }

    [Fact]
    public async Task The_library_pages_by_opaque_cursor_newest_first_and_ends_with_null()
    {
        using var user = await CreateAsync(apphost);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(IdOf(await user.CreateBookAsync($"Book {i}")));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/books?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await ReadAsync(await user.Http.GetAsync(url, Token), HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(b => b!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_book_has_no_next_cursor()
    {
        using var user = await CreateAsync(apphost);
        await user.CreateBookAsync("One");
        await user.CreateBookAsync("Two");

        var page = await ReadAsync(await user.Http.GetAsync("/api/v1/books?limit=2", Token), HttpStatusCode.OK);

        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.Null(page["nextCursor"]);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Bad_paging_parameters_are_400(string query)
    {
        using var user = await CreateAsync(apphost);
        await ExpectProblem(await user.Http.GetAsync("/api/v1/books?" + query, Token), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cursor_is_tamper_evident_and_bound_to_its_owner()
    {
        using var owner = await CreateAsync(apphost);
        using var other = await CreateAsync(apphost);
        for (var i = 0; i < 3; i++)
        {
            await owner.CreateBookAsync($"Book {i}");
        }
        var page = await ReadAsync(await owner.Http.GetAsync("/api/v1/books?limit=1", Token), HttpStatusCode.OK);
        var cursor = page["nextCursor"]!.GetValue<string>();
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];

        await ExpectProblem(await owner.Http.GetAsync("/api/v1/books?cursor=" + Uri.EscapeDataString(tampered), Token), HttpStatusCode.BadRequest);
        await ExpectProblem(await other.Http.GetAsync("/api/v1/books?cursor=" + Uri.EscapeDataString(cursor), Token), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_users_book_is_404_on_every_route()
    {
        using var owner = await CreateAsync(apphost);
        using var other = await CreateAsync(apphost);
        var bookId = IdOf(await owner.CreateBookAsync());
        var chapterId = IdOf(await owner.AddChapterAsync(bookId));
        var b = $"/api/v1/books/{bookId}";

        var attempts = new Func<Task<HttpResponseMessage>>[]
        {
            () => other.Http.GetAsync(b, Token),
            () => other.Http.PatchAsJsonAsync(b, new { title = "Mine now" }, Token),
            () => other.Http.DeleteAsync(b, Token),
            () => other.Http.GetAsync($"{b}/chapters", Token),
            () => other.Http.GetAsync($"{b}/chapters/{chapterId}", Token),
            () => other.Http.PatchAsJsonAsync($"{b}/chapters/{chapterId}", new { title = "x" }, Token),
            () => other.Http.DeleteAsync($"{b}/chapters/{chapterId}", Token),
            () => other.Http.GetAsync($"{b}/chapters/{chapterId}/stream", Token),
            () => other.Http.GetAsync($"{b}/chapters/{chapterId}/download", Token),
            () => other.Http.PostAsJsonAsync($"{b}/uploads", new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = 10 }, Token),
            () => other.Http.PostAsync($"{b}/uploads/{chapterId}/complete", null, Token),
            () => other.Http.PutAsJsonAsync($"{b}/progress", new { chapterId, positionSeconds = 1, clientUpdatedAt = DateTimeOffset.UtcNow }, Token),
            () => other.Http.GetAsync($"{b}/progress", Token),
        };
        foreach (var attempt in attempts)
        {
            await ExpectProblem(await attempt(), HttpStatusCode.NotFound);
        }

        // And the owner's book is untouched.
        var book = await ReadAsync(await owner.Http.GetAsync(b, Token), HttpStatusCode.OK);
        Assert.Equal("The Odyssey", book["title"]!.GetValue<string>());
        Assert.Equal(1, book["chapterCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_clears_with_empty_string()
    {
        using var user = await CreateAsync(apphost);
        var created = await ReadAsync(await user.Http.PostAsJsonAsync("/api/v1/books",
            new { title = "Emma", author = "Austen", narrator = "Reader" }, Token), HttpStatusCode.Created);

        var patched = await ReadAsync(await user.Http.PatchAsJsonAsync($"/api/v1/books/{IdOf(created)}",
            new { title = "Emma (unabridged)", narrator = "" }, Token), HttpStatusCode.OK);

        Assert.Equal("Emma (unabridged)", patched["title"]!.GetValue<string>());
        Assert.Equal("Austen", patched["author"]!.GetValue<string>());
        Assert.Null(patched["narrator"]);
    }

    [Fact]
    public async Task Patch_honours_if_match_and_answers_412_on_a_stale_etag()
    {
        using var user = await CreateAsync(apphost);
        var created = await user.Http.PostAsJsonAsync("/api/v1/books", new { title = "Ulysses", author = "Joyce" }, Token);
        var bookId = IdOf(await ReadAsync(created, HttpStatusCode.Created));
        var etag = created.Headers.ETag!.ToString();

        using var first = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/books/{bookId}") { Content = JsonContent.Create(new { title = "Ulysses I" }) };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        var ok = await user.Http.SendAsync(first, Token);
        await Expect(ok, HttpStatusCode.OK);
        Assert.NotEqual(etag, ok.Headers.ETag!.ToString());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/books/{bookId}") { Content = JsonContent.Create(new { title = "Ulysses II" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await ExpectProblem(await user.Http.SendAsync(stale, Token), HttpStatusCode.PreconditionFailed);

        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal("Ulysses I", book["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_book_its_chapters_their_audio_and_its_progress()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);
        var pending = await user.UploadAsync(bookId, Media.Mp4Samples.Read("isom.mp4"), "pending.mp4");
        await Expect(await user.Http.PutAsJsonAsync($"/api/v1/books/{bookId}/progress",
            new { chapterId = IdOf(chapter), positionSeconds = 2.5, clientUpdatedAt = DateTimeOffset.UtcNow }, Token), HttpStatusCode.OK);

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NoContent);

        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NotFound);
        var recent = await ReadAsync(await user.Http.GetAsync("/api/v1/me/progress", Token), HttpStatusCode.OK);
        Assert.Empty(recent["items"]!.AsArray());
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        await ExpectProblem(await user.CompleteAsync(bookId, pending["uploadId"]!.GetValue<string>()), HttpStatusCode.NotFound);
        await ExpectProblem(await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NotFound);
    }
}
