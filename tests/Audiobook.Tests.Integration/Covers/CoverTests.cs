using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Covers;

public sealed class CoverTests(AppHostFixture apphost)
{
    /// <summary>The real pictures embedded in the samples (made by ffmpeg).</summary>
    private static Task<byte[]> Jpeg() => Mp4Samples.EmbeddedCoverAsync("book-both-markers.m4a");

    private static Task<byte[]> Png() => Mp4Samples.EmbeddedCoverAsync("book-quicktime-markers.m4a");

    private static async Task<JsonObject> CreateCoverUploadAsync(ApiUser user, string bookId, string contentType, long size) =>
        await ReadAsync(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/cover", new { contentType, sizeBytes = size }, Token), HttpStatusCode.Created);

    private static Task<HttpResponseMessage> CompleteCoverAsync(ApiUser user, string bookId) =>
        user.Http.PostAsync($"/api/v1/books/{bookId}/cover/complete", null, Token);

    private static async Task<JsonObject> SetCoverAsync(ApiUser user, string bookId, byte[] picture, string contentType)
    {
        var ticket = await CreateCoverUploadAsync(user, bookId, contentType, picture.Length);
        await PutAsync(ticket, picture);
        return await ReadAsync(await CompleteCoverAsync(user, bookId), HttpStatusCode.OK);
    }

    private static async Task<(string ContentType, byte[] Bytes)> ServedCoverAsync(ApiUser user, string bookId)
    {
        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.OK);
        Assert.True(signed["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
        using var viewer = new HttpClient();
        var picture = await viewer.GetAsync(signed["url"]!.GetValue<string>(), Token);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        return (picture.Content.Headers.ContentType!.MediaType!, await picture.Content.ReadAsByteArrayAsync(Token));
    }

    private static async Task AssertServedAsync(ApiUser user, string bookId, string contentType, byte[] picture)
    {
        var (servedType, served) = await ServedCoverAsync(user, bookId);
        Assert.Equal(contentType, servedType);
        Assert.Equal(picture, served);
    }

    [Fact]
    public async Task An_uploaded_cover_is_served_replaced_and_removed()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NotFound);
        var (jpeg, png) = (await Jpeg(), await Png());

        var ticket = await CreateCoverUploadAsync(user, bookId, "image/jpeg", jpeg.Length);
        Assert.Equal("PUT", ticket["method"]!.GetValue<string>());
        Assert.Equal("image/jpeg", ticket["headers"]!["Content-Type"]!.GetValue<string>());
        await PutAsync(ticket, jpeg);
        var book = await ReadAsync(await CompleteCoverAsync(user, bookId), HttpStatusCode.OK);
        Assert.True(book["hasCover"]!.GetValue<bool>());
        await AssertServedAsync(user, bookId, "image/jpeg", jpeg);
        var first = Assert.Single(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.ObjectTagsAsync(first));

        await SetCoverAsync(user, bookId, png, "image/png");
        await AssertServedAsync(user, bookId, "image/png", png);
        var second = Assert.Single(await apphost.AudioKeysAsync(bookId));
        Assert.NotEqual(first, second);

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NoContent);
        Assert.False((await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NotFound);
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_uploaded_cover_replaces_an_embedded_one_and_a_later_file_does_not_take_it_back()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await user.AddChapterAsync(bookId, "book-both-markers.m4a");
        var png = await Png();

        await SetCoverAsync(user, bookId, png, "image/png");
        await user.AddChapterAsync(bookId, "book-nero-markers.m4a");

        await AssertServedAsync(user, bookId, "image/png", png);
        Assert.Single(await apphost.AudioKeysAsync(bookId), k => k.Contains("/covers/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image/gif", 100, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("image/svg+xml", 100, HttpStatusCode.UnsupportedMediaType)]
    [InlineData(null, 100, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("image/jpeg", 10 * 1024 * 1024 + 1, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("image/png", 0, HttpStatusCode.BadRequest)]
    [InlineData("image/png", null, HttpStatusCode.BadRequest)]
    public async Task A_cover_upload_that_cannot_be_a_cover_is_refused_before_any_url(string? contentType, int? size, HttpStatusCode status)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        await ExpectProblem(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/cover", new { contentType, sizeBytes = size }, Token), status);

        await ExpectProblem(await CompleteCoverAsync(user, bookId), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, HttpStatusCode> Impostors => new()
    {
        { "text", "image/jpeg", HttpStatusCode.UnsupportedMediaType },
        { "png", "image/jpeg", HttpStatusCode.UnsupportedMediaType },
        { "jpeg", "image/png", HttpStatusCode.UnsupportedMediaType },
        { "audio", "image/png", HttpStatusCode.UnsupportedMediaType },
    };

    [Theory]
    [MemberData(nameof(Impostors))]
    public async Task A_picture_that_is_not_what_was_declared_is_refused_and_removed(string what, string declared, HttpStatusCode status)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var jpeg = await Jpeg();
        var bytes = what switch
        {
            "text" => "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"u8.ToArray(),
            "png" => await Png(),
            "jpeg" => jpeg,
            _ => Mp4Samples.Read("faststart.m4a"),
        };
        var ticket = await CreateCoverUploadAsync(user, bookId, declared, bytes.Length);
        await PutAsync(ticket, bytes);

        var problem = await ExpectProblem(await CompleteCoverAsync(user, bookId), status);

        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId, "COVERUPLOAD"));
        Assert.False((await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
        await ExpectProblem(await CompleteCoverAsync(user, bookId), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Storage_refuses_a_picture_longer_than_declared()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var jpeg = await Jpeg();
        var ticket = await CreateCoverUploadAsync(user, bookId, "image/jpeg", jpeg.Length);

        Assert.Equal(HttpStatusCode.Forbidden, await SendPutAsync(ticket, [.. jpeg, .. new byte[100]]));

        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        await ExpectProblem(await CompleteCoverAsync(user, bookId), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Completing_before_the_put_is_a_422_that_can_be_retried()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var jpeg = await Jpeg();
        var ticket = await CreateCoverUploadAsync(user, bookId, "image/jpeg", jpeg.Length);

        await ExpectProblem(await CompleteCoverAsync(user, bookId), HttpStatusCode.UnprocessableEntity);
        await PutAsync(ticket, jpeg);

        Assert.True((await ReadAsync(await CompleteCoverAsync(user, bookId), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
        // A retry whose first answer was lost finds the cover in place.
        Assert.True((await ReadAsync(await CompleteCoverAsync(user, bookId), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Concurrent_completes_leave_one_cover_and_no_orphan()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await SetCoverAsync(user, bookId, await Png(), "image/png");
        var jpeg = await Jpeg();
        var ticket = await CreateCoverUploadAsync(user, bookId, "image/jpeg", jpeg.Length);
        await PutAsync(ticket, jpeg);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CompleteCoverAsync(user, bookId)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await AssertServedAsync(user, bookId, "image/jpeg", jpeg);
        Assert.Single(await apphost.AudioKeysAsync(bookId));
    }

    [Fact]
    public async Task Deleting_the_book_removes_its_cover_and_a_pending_cover_upload()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var jpeg = await Jpeg();
        await SetCoverAsync(user, bookId, jpeg, "image/jpeg");
        await PutAsync(await CreateCoverUploadAsync(user, bookId, "image/jpeg", jpeg.Length), jpeg);

        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NoContent);

        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId, "COVERUPLOAD"));
    }

    [Fact]
    public async Task Another_users_book_has_no_cover_routes()
    {
        using var owner = await CreateAsync(apphost);
        using var stranger = await CreateAsync(apphost);
        var bookId = IdOf(await owner.CreateBookAsync());
        var jpeg = await Jpeg();
        await SetCoverAsync(owner, bookId, jpeg, "image/jpeg");

        await ExpectProblem(await stranger.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await stranger.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/cover", new { contentType = "image/jpeg", sizeBytes = 10 }, Token), HttpStatusCode.NotFound);
        await ExpectProblem(await CompleteCoverAsync(stranger, bookId), HttpStatusCode.NotFound);
        await ExpectProblem(await stranger.Http.DeleteAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.NotFound);
        await AssertServedAsync(owner, bookId, "image/jpeg", jpeg);
    }
}
