using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// A file sent in parts, against the real emulator: each part to its own presigned URL, resumed from
/// what storage lists, completed by the API from that list, checked like any upload.
/// </summary>
public sealed class MultipartUploadTests(AppHostFixture apphost)
{
    private const long MiB = 1024 * 1024;

    /// <summary>A real M4A of 20 MiB: three parts of 8 MiB (the last 4 MiB).</summary>
    private static readonly PaddedMp4 File = PaddedMp4.MoovAtEnd(Mp4Samples.Read("moov-at-end.m4a"), 20 * MiB);

    [Fact]
    public async Task A_file_sent_in_parts_becomes_a_chapter_that_plays_its_own_bytes()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        Assert.Equal("MULTIPART", ticket["method"]!.GetValue<string>());
        Assert.Equal(8 * MiB, ticket["partSizeBytes"]!.GetValue<long>());
        Assert.Equal(3, ticket["partCount"]!.GetValue<int>());
        Assert.Null(ticket["url"]);

        var sender = Sender(user, bookId, ticket);
        await sender.SendMissingAsync(File, 8 * MiB, 3, parallel: 3, Token);
        var listed = await ReadAsync(await user.Http.GetAsync($"{sender.Route}/parts", Token), HttpStatusCode.OK);
        Assert.Equal([(1, 8 * MiB), (2, 8 * MiB), (3, 4 * MiB)],
            listed["parts"]!.AsArray().Select(p => (p!["partNumber"]!.GetValue<int>(), p["sizeBytes"]!.GetValue<long>())));
        Assert.All(listed["parts"]!.AsArray(), p => Assert.False(string.IsNullOrEmpty(p!["etag"]!.GetValue<string>())));

        var chapter = await ReadAsync(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);
        Assert.Equal(File.Length, chapter["sizeBytes"]!.GetValue<long>());
        Assert.NotNull(chapter["durationSeconds"]?.GetValue<double>());

        // The stored object is the file: a range across the first part boundary plays the file's own bytes.
        var stream = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        using var storage = new HttpClient();
        using var range = new HttpRequestMessage(HttpMethod.Get, stream["url"]!.GetValue<string>());
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(8 * MiB - 10, 8 * MiB + 9);
        using var ranged = await storage.SendAsync(range, Token);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        var expected = new byte[20];
        await File.ReadAsync(8 * MiB - 10, expected, Token);
        Assert.Equal(expected, await ranged.Content.ReadAsByteArrayAsync(Token));

        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
        var key = Assert.Single(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.ObjectTagsAsync(key));
    }

    [Fact]
    public async Task Above_the_threshold_an_upload_is_multipart_at_or_below_it_a_single_put()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());

        var large = await CreateMultipartAsync(user, bookId, 64 * MiB + 1);
        Assert.Equal("MULTIPART", large["method"]!.GetValue<string>());
        Assert.Equal(9, large["partCount"]!.GetValue<int>());
        var small = await CreateMultipartAsync(user, bookId, 64 * MiB);
        Assert.Equal("PUT", small["method"]!.GetValue<string>());
        Assert.NotNull(small["url"]);

        var tooSmall = await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = 5 * MiB - 1, multipart = true }, Token);
        var problem = await ExpectProblem(tooSmall, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["multipart"]);
    }

    [Fact]
    public async Task A_client_that_lost_its_state_resumes_with_the_missing_parts_only()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);

        // The first client sends parts 1 and 3, then is gone (a reload, a crash).
        var first = Sender(user, bookId, ticket);
        await first.SendPartsAsync(File, 8 * MiB, [1, 3], parallel: 2, Token);

        // A new client knows only the upload's id: it asks what is stored and sends the rest.
        var resumed = Sender(user, bookId, ticket);
        Assert.Equal([1, 3], (await resumed.StoredPartsAsync(Token)).Order());
        await resumed.SendMissingAsync(File, 8 * MiB, 3, parallel: 2, Token);
        Assert.Equal(8 * MiB, resumed.BytesSent);

        await ReadAsync(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Completing_with_a_missing_part_is_422_naming_it_and_the_upload_stays_open()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        var sender = Sender(user, bookId, ticket);
        await sender.SendPartsAsync(File, 8 * MiB, [1, 3], parallel: 2, Token);

        var problem = await ExpectProblem(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal([2], problem["missingParts"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Empty(problem["wrongSizeParts"]!.AsArray());
        Assert.Contains("part 2", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await apphost.UploadRecordsAsync(bookId));
        Assert.Single(await apphost.OpenMultipartUploadsAsync(bookId));

        await sender.SendMissingAsync(File, 8 * MiB, 3, parallel: 1, Token);
        await ReadAsync(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_part_of_another_size_than_its_url_signs_is_refused_by_storage()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        var sender = Sender(user, bookId, ticket);
        var last = (await sender.SignAsync([3], Token))[0]!;
        var url = last["url"]!.GetValue<string>();
        Assert.Equal(4 * MiB, last["sizeBytes"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.Forbidden, await sender.PutPartAsync(url, File, 16 * MiB - 1, 4 * MiB + 1, Token));
        Assert.Equal(HttpStatusCode.Forbidden, await sender.PutPartAsync(url, File, 16 * MiB, 4 * MiB - 1, Token));
        // The URL of part 3 does not store part 2, even with part 3's size.
        Assert.Equal(HttpStatusCode.Forbidden, await sender.PutPartAsync(url.Replace("partNumber=3", "partNumber=2", StringComparison.Ordinal), File, 8 * MiB, 4 * MiB, Token));
        Assert.Empty(await sender.StoredPartsAsync(Token));

        Assert.Equal(HttpStatusCode.OK, await sender.PutPartAsync(url, File, 16 * MiB, 4 * MiB, Token));
    }

    [Fact]
    public async Task Aborting_a_multipart_upload_discards_its_parts_and_record()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        var sender = Sender(user, bookId, ticket);
        var part = (await sender.SignAsync([1], Token))[0]!;
        await sender.PutPartAsync(part["url"]!.GetValue<string>(), File, 0, 8 * MiB, Token);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync(sender.Route, Token)).StatusCode);

        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        await ExpectProblem(await user.Http.GetAsync($"{sender.Route}/parts", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.NotFound);
        // A part URL handed out before the abort stores nothing after it.
        Assert.NotEqual(HttpStatusCode.OK, await sender.PutPartAsync(part["url"]!.GetValue<string>(), File, 0, 8 * MiB, Token));
        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
    }

    [Fact]
    public async Task A_completed_chapter_cannot_be_overwritten_through_its_part_urls()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        var sender = Sender(user, bookId, ticket);
        var urls = await sender.SignAsync([1, 2, 3], Token);
        await sender.SendMissingAsync(File, 8 * MiB, 3, parallel: 3, Token);
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);

        var zeros = new Zeros(File.Length);
        Assert.NotEqual(HttpStatusCode.OK, await sender.PutPartAsync(urls[0]!["url"]!.GetValue<string>(), zeros, 0, 8 * MiB, Token));
        await ExpectProblem(await user.Http.PostAsJsonAsync($"{sender.Route}/parts", new { partNumbers = new[] { 1 } }, Token), HttpStatusCode.NotFound);

        var key = Assert.Single(await apphost.AudioKeysAsync(bookId));
        using var s3 = apphost.CreateS3Client();
        using var head = await s3.GetObjectAsync(new() { BucketName = apphost.Setting("Storage__BucketName"), Key = key, ByteRange = new(0, 15) }, Token);
        var start = new byte[16];
        await head.ResponseStream.ReadExactlyAsync(start, Token);
        var expected = new byte[16];
        await File.ReadAsync(0, expected, Token);
        Assert.Equal(expected, start);
        Assert.Equal(File.Length, chapter["sizeBytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task Concurrent_completions_of_one_multipart_upload_make_one_chapter()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        await Sender(user, bookId, ticket).SendMissingAsync(File, 8 * MiB, 3, parallel: 3, Token);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.CompleteAsync(bookId, UploadIdOf(ticket))));

        foreach (var answer in answers)
        {
            await Expect(answer, HttpStatusCode.Created);
        }
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Single(chapters["items"]!.AsArray());
        Assert.Single(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
    }

    [Fact]
    public async Task Bytes_that_are_not_audio_are_refused_and_leave_nothing_behind()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var zeros = new Zeros(12 * MiB);
        var ticket = await CreateMultipartAsync(user, bookId, zeros.Length, multipart: true);
        await Sender(user, bookId, ticket).SendMissingAsync(zeros, 8 * MiB, 2, parallel: 2, Token);

        await ExpectProblem(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.UnsupportedMediaType);

        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[0]")]
    [InlineData("[4]")]
    [InlineData("[-1, 1]")]
    [InlineData("101 numbers")]
    [InlineData("null")]
    public async Task Part_numbers_outside_the_upload_are_400(string numbers)
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);
        var body = numbers == "101 numbers" ? $"[{string.Join(",", Enumerable.Repeat(1, 101))}]" : numbers;

        using var content = new StringContent($"{{\"partNumbers\": {body}}}", System.Text.Encoding.UTF8, "application/json");
        var problem = await ExpectProblem(await user.Http.PostAsync($"/api/v1/books/{bookId}/uploads/{UploadIdOf(ticket)}/parts", content, Token),
            HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["partNumbers"]);
    }

    [Fact]
    public async Task A_single_put_upload_has_no_parts_and_a_strangers_upload_is_404()
    {
        using var user = await CreateAsync(apphost);
        using var stranger = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var single = await user.CreateUploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));
        var multipart = await CreateMultipartAsync(user, bookId, File.Length, multipart: true);

        await ExpectProblem(await user.Http.GetAsync($"/api/v1/books/{bookId}/uploads/{UploadIdOf(single)}/parts", Token), HttpStatusCode.Conflict);
        await ExpectProblem(await stranger.Http.GetAsync($"/api/v1/books/{bookId}/uploads/{UploadIdOf(multipart)}/parts", Token), HttpStatusCode.NotFound);
        await ExpectProblem(await stranger.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads/{UploadIdOf(multipart)}/parts",
            new { partNumbers = new[] { 1 } }, Token), HttpStatusCode.NotFound);
    }

    private static MultipartSender Sender(ApiUser user, string bookId, JsonObject ticket) => new(user.Http, bookId, UploadIdOf(ticket));

    private static string UploadIdOf(JsonObject ticket) => ticket["uploadId"]!.GetValue<string>();

    private static async Task<JsonObject> CreateMultipartAsync(ApiUser user, string bookId, long size, bool? multipart = null)
    {
        var created = await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "book.m4a", contentType = "audio/mp4", sizeBytes = size, multipart }, Token);
        return await ReadAsync(created, HttpStatusCode.Created);
    }

    /// <summary>Any number of zero bytes: not an MP4.</summary>
    private sealed class Zeros(long length) : Audiobook.Api.Media.IByteSource
    {
        public long Length => length;

        public ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var count = (int)Math.Clamp(length - offset, 0, destination.Length);
            destination.Span[..count].Clear();
            return ValueTask.FromResult(count);
        }
    }
}
