using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Chapters;

public sealed class ChaptersTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Chapters_are_listed_by_number_and_fetched_one_by_one()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var first = await user.AddChapterAsync(bookId, "faststart.m4a");
        var second = await user.AddChapterAsync(bookId, "isom.mp4");

        var list = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Equal([IdOf(first), IdOf(second)], list["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));

        var one = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(second)}", Token), HttpStatusCode.OK);
        Assert.Equal(second.ToJsonString(), one.ToJsonString());
    }

    [Fact]
    public async Task Rename_and_renumber_keep_numbers_unique()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var first = await user.AddChapterAsync(bookId);
        var second = await user.AddChapterAsync(bookId);
        var b = $"/api/v1/books/{bookId}/chapters";

        var renamed = await ReadAsync(await user.Http.PatchAsJsonAsync($"{b}/{IdOf(first)}", new { title = "Prologue" }, Token), HttpStatusCode.OK);
        Assert.Equal("Prologue", renamed["title"]!.GetValue<string>());
        Assert.Equal(1, renamed["number"]!.GetValue<int>());

        await ExpectProblem(await user.Http.PatchAsJsonAsync($"{b}/{IdOf(first)}", new { number = 2 }, Token), HttpStatusCode.Conflict);

        var moved = await ReadAsync(await user.Http.PatchAsJsonAsync($"{b}/{IdOf(first)}", new { number = 10 }, Token), HttpStatusCode.OK);
        Assert.Equal(10, moved["number"]!.GetValue<int>());

        // Number 1 is free again, and new chapters continue after the highest number.
        var back = await ReadAsync(await user.Http.PatchAsJsonAsync($"{b}/{IdOf(second)}", new { number = 1 }, Token), HttpStatusCode.OK);
        Assert.Equal(1, back["number"]!.GetValue<int>());
        var third = await user.AddChapterAsync(bookId);
        Assert.Equal(11, third["number"]!.GetValue<int>());

        var list = await ReadAsync(await user.Http.GetAsync(b, Token), HttpStatusCode.OK);
        Assert.Equal([1, 10, 11], list["items"]!.AsArray().Select(c => c!["number"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("{\"number\":0}")]
    [InlineData("{\"number\":-3}")]
    [InlineData("{\"title\":\"\"}")]
    [InlineData("{\"number\":\"two\"}")]
    public async Task Bad_chapter_updates_are_400(string body)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await ExpectProblem(await user.Http.PatchAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}", content, Token), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Delete_removes_the_chapter_its_audio_and_updates_the_book()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var keep = await user.AddChapterAsync(bookId, "faststart.m4a");
        var drop = await user.AddChapterAsync(bookId, "isom.mp4");

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/chapters/{IdOf(drop)}", Token), HttpStatusCode.NoContent);

        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(drop)}", Token), HttpStatusCode.NotFound);
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(1, book["chapterCount"]!.GetValue<int>());
        Assert.Equal(keep["durationSeconds"]!.GetValue<double>(), book["totalDurationSeconds"]!.GetValue<double>(), 3);
        Assert.Equal($"books/{bookId}/chapters/{IdOf(keep)}.m4a", Assert.Single(await apphost.AudioKeysAsync(bookId)));
    }

    [Fact]
    public async Task The_stream_url_serves_the_exact_bytes_with_http_range()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("moov-at-end.m4a");
        var chapter = await user.AddChapterAsync(bookId, "moov-at-end.m4a");

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        Assert.True(signed["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(50));

        using var player = new HttpClient();
        using var range = new HttpRequestMessage(HttpMethod.Get, signed["url"]!.GetValue<string>());
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        var partial = await player.SendAsync(range, Token);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[..100], await partial.Content.ReadAsByteArrayAsync(Token));

        var whole = await player.GetByteArrayAsync(signed["url"]!.GetValue<string>(), Token);
        Assert.Equal(bytes, whole);
    }

    [Fact]
    public async Task The_download_url_names_the_original_file_with_rfc_5987()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId, "faststart.m4a", "\uC81C 1\uC7A5 \"Start\".m4a");

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/download", Token), HttpStatusCode.OK);
        using var browser = new HttpClient();
        var response = await browser.GetAsync(signed["url"]!.GetValue<string>(), Token);

        await Expect(response, HttpStatusCode.OK);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("\uC81C 1\uC7A5 \"Start\".m4a", disposition.FileNameStar);
    }

    [Fact]
    public async Task Malformed_ids_and_missing_chapters_are_404_problems()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{Guid.NewGuid():N}", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/not-an-id", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await user.Http.GetAsync("/api/v1/books/..%2F..%2Fetc", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{new string('f', 5000)}", Token), HttpStatusCode.NotFound);
    }
}
