using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

public sealed class UploadTests(AppHostFixture apphost)
{
    [Theory]
    [InlineData("faststart.m4a", 5.0)]
    [InlineData("moov-at-end.m4a", 5.0)]
    [InlineData("isom.mp4", 4.0)]
    [InlineData("fragmented.mp4", 6.0)]
    [InlineData("with-chapters.m4b", 7.0)]
    public async Task A_real_file_becomes_a_ready_chapter_with_its_duration(string sample, double seconds)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var fileName = Path.ChangeExtension(sample, sample.EndsWith(".mp4", StringComparison.Ordinal) ? ".mp4" : ".m4a");
        var bytes = Mp4Samples.Read(sample);

        var ticket = await user.UploadAsync(bookId, bytes, fileName);
        Assert.Equal("PUT", ticket["method"]!.GetValue<string>());
        Assert.Equal("audio/mp4", ticket["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.True(ticket["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);

        var completed = await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>());
        var chapter = await ReadAsync(completed, HttpStatusCode.Created);

        Assert.Equal($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}", completed.Headers.Location?.ToString());
        Assert.Equal("ready", chapter["status"]!.GetValue<string>());
        Assert.Equal(1, chapter["number"]!.GetValue<int>());
        Assert.Equal(bytes.Length, chapter["sizeBytes"]!.GetValue<long>());
        Assert.Equal(fileName, chapter["fileName"]!.GetValue<string>());
        Assert.InRange(chapter["durationSeconds"]!.GetValue<double>(), seconds - 0.01, seconds + 0.1);
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(1, book["chapterCount"]!.GetValue<int>());
        Assert.InRange(book["totalDurationSeconds"]!.GetValue<double>(), seconds - 0.01, seconds + 0.1);
    }

    [Theory]
    [InlineData("book.mp3", "audio/mp4", 1000, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("book", "audio/mp4", 1000, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("book.m4a", "audio/mpeg", 1000, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("book.m4a", null, 1000, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("book.m4a", "audio/mp4", 0, HttpStatusCode.BadRequest)]
    [InlineData("book.m4a", "audio/mp4", -5, HttpStatusCode.BadRequest)]
    [InlineData("book.m4a", "audio/mp4", 10L * 1024 * 1024 * 1024 + 1, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("../", "audio/mp4", 1000, HttpStatusCode.BadRequest)]
    [InlineData(null, "audio/mp4", 1000, HttpStatusCode.BadRequest)]
    public async Task Create_rejects_up_front_what_can_never_be_a_chapter(string? fileName, string? contentType, long sizeBytes, HttpStatusCode expected)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        var response = await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads", new { fileName, contentType, sizeBytes }, Token);

        await ExpectProblem(response, expected);
        await AssertNoChaptersAndNoObjects(user, bookId);
    }

    [Theory]
    [InlineData("mp3-renamed.m4a", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("tone.wav", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text.m4a", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("protected.m4p", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("video-only.mp4", HttpStatusCode.UnprocessableEntity)]
    public async Task Complete_refuses_what_is_not_playable_mp4_and_deletes_the_object(string sample, HttpStatusCode expected)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Mp4Samples.Read(sample), "chapter.m4a");

        await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), expected);

        await AssertNoChaptersAndNoObjects(user, bookId);
        // The upload is gone too: completing again cannot resurrect it.
        await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("moov-at-end.m4a", 15_000)]
    [InlineData("faststart.m4a", 10_000)]
    public async Task Complete_refuses_a_truncated_file_with_422(string sample, int keep)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Mp4Samples.Read(sample)[..keep], "chapter.m4a");

        var problem = await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("Malformed", problem["reason"]!.GetValue<string>());
        await AssertNoChaptersAndNoObjects(user, bookId);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(-1)]
    public async Task Storage_refuses_a_put_of_another_size_than_declared_and_the_ticket_still_takes_the_file(int extra)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await user.CreateUploadAsync(bookId, bytes, "a.m4a");
        byte[] other = extra > 0 ? [.. bytes, .. new byte[extra]] : bytes[..^-extra];

        // The URL signs the declared Content-Length: storage itself refuses any other size.
        Assert.Equal(HttpStatusCode.Forbidden, await SendPutAsync(ticket, other));
        Assert.Empty(await apphost.AudioKeysAsync(bookId));

        await PutAsync(ticket, bytes);
        await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Complete_refuses_an_object_of_another_size_than_declared()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await ReadAsync(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = bytes.Length + 10 }, Token), HttpStatusCode.Created);
        // Storage refuses such a PUT through the ticket; written around it (as the bucket's owner could),
        // completion still checks the size.
        using var s3 = apphost.CreateS3Client();
        var url = new Uri(ticket["url"]!.GetValue<string>());
        var bucket = apphost.Setting("Storage__BucketName");
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = bucket,
            Key = Uri.UnescapeDataString(url.AbsolutePath)[(bucket.Length + 2)..],
            InputStream = new MemoryStream(bytes),
        }, Token);

        var problem = await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("size-mismatch", problem["reason"]!.GetValue<string>());
        await AssertNoChaptersAndNoObjects(user, bookId);
    }

    [Fact]
    public async Task Completing_before_the_put_is_422_and_the_upload_can_still_finish()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await user.CreateUploadAsync(bookId, bytes, "a.m4a");
        var uploadId = ticket["uploadId"]!.GetValue<string>();

        await ExpectProblem(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.UnprocessableEntity);
        await PutAsync(ticket, bytes);

        await Expect(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Completing_twice_returns_the_same_chapter_not_a_duplicate()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));
        var uploadId = ticket["uploadId"]!.GetValue<string>();

        var first = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
        var second = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Single(chapters["items"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_completes_of_the_same_upload_make_one_chapter()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var uploadId = (await user.UploadAsync(bookId, Mp4Samples.Read("moov-at-end.m4a")))["uploadId"]!.GetValue<string>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => user.CompleteAsync(bookId, uploadId)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(1, book["chapterCount"]!.GetValue<int>());
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Single(chapters["items"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_completes_on_one_book_get_unique_numbers_1_to_n()
    {
        const int count = 8;
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var tickets = await Task.WhenAll(Enumerable.Range(0, count).Select(i => user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"), $"part {i}.m4a")));

        var completed = await Task.WhenAll(tickets.Select(t => user.CompleteAsync(bookId, t["uploadId"]!.GetValue<string>())));

        Assert.All(completed, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        var numbers = chapters["items"]!.AsArray().Select(c => c!["number"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(1, count), numbers);
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(count, book["chapterCount"]!.GetValue<int>());
        Assert.InRange(book["totalDurationSeconds"]!.GetValue<double>(), count * 5.0 - 0.1, count * 5.1);
    }

    [Fact]
    public async Task File_names_are_normalised_and_keys_never_hold_user_text()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var nfd = "../../etc/\u1100\u1161\u11A8 \u110C\u1161\u11BC.M4A";   // "각 장" in NFD, with a path

        var chapter = await user.AddChapterAsync(bookId, "faststart.m4a", nfd);

        Assert.Equal("\uAC01 \uC7A5.m4a", chapter["fileName"]!.GetValue<string>());
        Assert.Equal("\uAC01 \uC7A5", chapter["title"]!.GetValue<string>());
        Assert.Equal($"books/{bookId}/chapters/{IdOf(chapter)}.m4a", Assert.Single(await apphost.AudioKeysAsync(bookId)));
    }

    [Fact]
    public async Task Completing_an_unknown_upload_is_404()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        await ExpectProblem(await user.CompleteAsync(bookId, Guid.NewGuid().ToString("N")), HttpStatusCode.NotFound);
    }

    private async Task AssertNoChaptersAndNoObjects(ApiUser user, string bookId)
    {
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Empty(chapters["items"]!.AsArray());
        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(0, book["chapterCount"]!.GetValue<int>());
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
    }
}
