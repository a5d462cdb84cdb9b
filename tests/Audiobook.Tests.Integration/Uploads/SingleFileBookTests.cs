using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>A whole audiobook in one file, as Libation, OpenAudible or m4b-tool make it: its markers, tags and cover reach the chapter and the book.</summary>
public sealed class SingleFileBookTests(AppHostFixture apphost)
{
    private static readonly string[] ThreeTitles = ["Prologue — Unter den Linden", "Kapitel 1: Straße", "Épilogue 終わり"];

    [Theory]
    [InlineData("book-both-markers.m4a", "quicktime", "image/jpeg")]
    [InlineData("book-quicktime-markers.m4a", "quicktime", "image/png")]
    [InlineData("book-nero-markers.m4a", "nero", "image/jpeg")]
    public async Task Markers_tags_and_cover_reach_the_chapter_and_fill_the_book(string sample, string markerSource, string coverType)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync("Die Verwandlung", "Franz Kafka"));

        var chapter = await user.AddChapterAsync(bookId, sample);

        Assert.Equal("Die Verwandlung (Ungekürzt)", chapter["title"]!.GetValue<string>()); // no title given: the tagged one
        Assert.Equal(markerSource, chapter["markerSource"]!.GetValue<string>());
        var markers = chapter["markers"]!.AsArray();
        Assert.Equal(ThreeTitles, markers.Select(m => m!["title"]!.GetValue<string>()));
        Assert.Equal([0.0, 3.0, 6.0], markers.Select(m => m!["startSeconds"]!.GetValue<double>()));
        Assert.Equal([3.0, 6.0], markers.Take(2).Select(m => m!["endSeconds"]!.GetValue<double>()));
        var tags = chapter["tags"]!.AsObject();
        Assert.Equal("Zoë Ångström", tags["artist"]!.GetValue<string>());
        Assert.Equal("Jürgen Müller", tags["narrator"]!.GetValue<string>());
        Assert.Equal("Hörbuch", tags["genre"]!.GetValue<string>());
        Assert.Equal("1915", tags["year"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(chapter, await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}", Token), HttpStatusCode.OK)),
            "The chapter reads back as completion answered it.");

        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal("Die Verwandlung", book["title"]!.GetValue<string>());
        Assert.Equal("Franz Kafka", book["author"]!.GetValue<string>());
        Assert.Equal("Jürgen Müller", book["narrator"]!.GetValue<string>());
        Assert.StartsWith("Als Gregor Samsa", book["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("de", book["language"]!.GetValue<string>());
        Assert.True(book["hasCover"]!.GetValue<bool>());

        var signed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/cover", Token), HttpStatusCode.OK);
        using var viewer = new HttpClient();
        var picture = await viewer.GetAsync(signed["url"]!.GetValue<string>(), Token);
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal(coverType, picture.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await Mp4Samples.EmbeddedCoverAsync(sample), await picture.Content.ReadAsByteArrayAsync(Token));
        var keys = await apphost.AudioKeysAsync(bookId);
        Assert.Equal(2, keys.Count);
        Assert.Single(keys, k => k.StartsWith($"books/{bookId}/covers/", StringComparison.Ordinal));
        Assert.Empty(await apphost.ObjectTagsAsync(keys.Single(k => k.Contains("/covers/", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task What_the_owner_set_is_never_overwritten_and_only_the_first_file_fills()
    {
        using var user = await CreateAsync(apphost);
        var owned = await ReadAsync(await user.Http.PostAsJsonAsync("/api/v1/books",
            new { title = "Metamorphosis", author = "Kafka", narrator = "My Narrator", description = "My words.", language = "en" }, Token), HttpStatusCode.Created);
        var plain = IdOf(await user.CreateBookAsync());

        await user.AddChapterAsync(IdOf(owned), "book-both-markers.m4a");
        await user.AddChapterAsync(plain, "faststart.m4a");
        await user.AddChapterAsync(plain, "book-both-markers.m4a");

        var kept = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{IdOf(owned)}", Token), HttpStatusCode.OK);
        Assert.Equal(["Metamorphosis", "Kafka", "My Narrator", "My words.", "en"],
            new[] { "title", "author", "narrator", "description", "language" }.Select(f => kept[f]!.GetValue<string>()));
        Assert.True(kept["hasCover"]!.GetValue<bool>()); // the owner had set no cover
        var second = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{plain}", Token), HttpStatusCode.OK);
        Assert.Null(second["narrator"]);
        Assert.Null(second["description"]);
        Assert.True(second["hasCover"]!.GetValue<bool>()); // a cover is taken from any file while the book has none
    }

    [Fact]
    public async Task A_book_with_a_cover_keeps_it_and_no_copy_is_left_behind()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await user.AddChapterAsync(bookId, "book-quicktime-markers.m4a");
        var cover = (await apphost.AudioKeysAsync(bookId)).Single(k => k.Contains("/covers/", StringComparison.Ordinal));

        await user.AddChapterAsync(bookId, "book-both-markers.m4a");

        var keys = await apphost.AudioKeysAsync(bookId);
        Assert.Equal(3, keys.Count);
        Assert.Contains(cover, keys);
        Assert.EndsWith(".png", cover, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_1500_markers_is_one_chapter_with_all_of_them()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        var chapter = await user.AddChapterAsync(bookId, "book-many-markers.m4a");

        var listed = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        var markers = listed["items"]![0]!["markers"]!.AsArray();
        Assert.Equal(1500, markers.Count);
        Assert.Equal("Teil 1500", markers[^1]!["title"]!.GetValue<string>());
        Assert.Equal(chapter["durationSeconds"]!.GetValue<double>(), markers[^1]!["endSeconds"]!.GetValue<double>(), 3);
        Assert.Equal("quicktime", chapter["markerSource"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_without_metadata_has_empty_markers_and_tags()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        var chapter = await user.AddChapterAsync(bookId, "faststart.m4a");

        Assert.Empty(chapter["markers"]!.AsArray());
        Assert.Null(chapter["markerSource"]);
        Assert.Empty(chapter["tags"]!.AsObject());
        Assert.False((await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Hostile_metadata_is_dropped_and_the_audio_kept()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        var noCover = await ReadAsync(await user.CompleteAsync(bookId,
            (await user.UploadAsync(bookId, HostileMetadata.Make("covr that is not an image")))["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        Assert.Equal(3, noCover["markers"]!.AsArray().Count);
        Assert.False((await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK))["hasCover"]!.GetValue<bool>());
        Assert.Single(await apphost.AudioKeysAsync(bookId));

        var chapter = await ReadAsync(await user.CompleteAsync(bookId,
            (await user.UploadAsync(bookId, HostileMetadata.Make("markers past the end")))["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        Assert.Equal(["A", "B"], chapter["markers"]!.AsArray().Select(m => m!["title"]!.GetValue<string>()));
        Assert.Equal(chapter["durationSeconds"]!.GetValue<double>(), chapter["markers"]![1]!["endSeconds"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task M4b_names_are_refused_by_default_and_taken_when_the_operator_allows_them()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("book-both-markers.m4a");

        var refused = await ExpectProblem(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "book.m4b", contentType = "audio/mp4", sizeBytes = bytes.Length }, Token), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains(".m4a", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await using var api = InProcessApi.Create(apphost, "Development", new Dictionary<string, string>
        {
            ["Uploads:Extensions:0"] = ".m4a",
            ["Uploads:Extensions:1"] = ".mp4",
            ["Uploads:Extensions:2"] = ".m4b",
        });
        using var http = api.CreateClient();
        http.DefaultRequestHeaders.Authorization = user.Http.DefaultRequestHeaders.Authorization;
        var ticket = await ReadAsync(await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "book.m4b", contentType = "audio/x-m4b", sizeBytes = bytes.Length }, Token), HttpStatusCode.Created);
        await PutAsync(ticket, bytes);
        var chapter = await ReadAsync(await http.PostAsync($"/api/v1/books/{bookId}/uploads/{ticket["uploadId"]}/complete", null, Token), HttpStatusCode.Created);
        Assert.Equal("book.m4b", chapter["fileName"]!.GetValue<string>());
        Assert.Equal("audio/mp4", chapter["contentType"]!.GetValue<string>());
        Assert.Equal(3, chapter["markers"]!.AsArray().Count);
    }
}
