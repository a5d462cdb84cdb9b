using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Progress;

public sealed class ProgressTests(AppHostFixture apphost)
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Progress_is_saved_and_read_back_on_any_device()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = await user.AddChapterAsync(bookId);

        var saved = await ReadAsync(await Save(user, bookId, IdOf(chapter), 3.25, Monday), HttpStatusCode.OK);
        var read = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/progress", Token), HttpStatusCode.OK);

        Assert.Equal(bookId, read["bookId"]!.GetValue<string>());
        Assert.Equal(IdOf(chapter), read["chapterId"]!.GetValue<string>());
        Assert.Equal(3.25, read["positionSeconds"]!.GetValue<double>());
        Assert.Equal(Monday, read["clientUpdatedAt"]!.GetValue<DateTimeOffset>());
        Assert.NotNull(read["updatedAt"]);
        Assert.Equal(saved.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task An_older_update_never_overwrites_a_newer_one()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = IdOf(await user.AddChapterAsync(bookId));

        await Expect(await Save(user, bookId, chapter, 4.0, Monday.AddMinutes(10)), HttpStatusCode.OK);
        var late = await ReadAsync(await Save(user, bookId, chapter, 1.0, Monday), HttpStatusCode.OK);

        Assert.Equal(4.0, late["positionSeconds"]!.GetValue<double>());
        Assert.Equal(Monday.AddMinutes(10), late["clientUpdatedAt"]!.GetValue<DateTimeOffset>());
        var stored = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/progress", Token), HttpStatusCode.OK);
        Assert.Equal(4.0, stored["positionSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task Continue_listening_lists_the_most_recent_first()
    {
        using var user = await CreateAsync(apphost);
        var older = IdOf(await user.CreateBookAsync("Older"));
        var newer = IdOf(await user.CreateBookAsync("Newer"));
        await Expect(await Save(user, older, IdOf(await user.AddChapterAsync(older)), 1, Monday), HttpStatusCode.OK);
        await Expect(await Save(user, newer, IdOf(await user.AddChapterAsync(newer)), 2, Monday.AddHours(1)), HttpStatusCode.OK);

        var recent = await ReadAsync(await user.Http.GetAsync("/api/v1/me/progress", Token), HttpStatusCode.OK);

        Assert.Equal([newer, older], recent["items"]!.AsArray().Select(p => p!["bookId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_book_without_progress_is_404()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/progress", Token), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"chapterId\":\"%C\",\"positionSeconds\":-1,\"clientUpdatedAt\":\"2026-11-23T20:00:00Z\"}", "positionSeconds")]
    [InlineData("{\"chapterId\":\"%C\",\"positionSeconds\":1,\"clientUpdatedAt\":\"2099-01-01T00:00:00Z\"}", "clientUpdatedAt")]
    [InlineData("{\"chapterId\":\"%C\",\"positionSeconds\":1}", "clientUpdatedAt")]
    [InlineData("{\"chapterId\":\"0123456789abcdef0123456789abcdef\",\"positionSeconds\":1,\"clientUpdatedAt\":\"2026-11-23T20:00:00Z\"}", "chapterId")]
    [InlineData("{\"chapterId\":\"../x\",\"positionSeconds\":1,\"clientUpdatedAt\":\"2026-11-23T20:00:00Z\"}", "chapterId")]
    public async Task Bad_progress_is_400_naming_the_field(string body, string field)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var chapter = IdOf(await user.AddChapterAsync(bookId));

        using var content = new StringContent(body.Replace("%C", chapter), System.Text.Encoding.UTF8, "application/json");
        var problem = await ExpectProblem(await user.Http.PutAsync($"/api/v1/books/{bookId}/progress", content, Token), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
    }

    private static Task<HttpResponseMessage> Save(ApiUser user, string bookId, string chapterId, double position, DateTimeOffset at) =>
        user.Http.PutAsJsonAsync($"/api/v1/books/{bookId}/progress", new { chapterId, positionSeconds = position, clientUpdatedAt = at }, Token);
}
