using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// A client on a flaky network that sends every call of the upload-and-listen flow twice (the
/// second time at once, as when it never saw the first answer): one chapter, one object, progress
/// as sent, and — once the lifecycle rules have run — no leftover record.
/// </summary>
public sealed class RetryingClientTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Every_call_sent_twice_still_yields_one_chapter_one_object_and_no_orphans()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");

        var tickets = await TwiceAsync(() => user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "one.m4a", contentType = "audio/mp4", sizeBytes = bytes.Length }, Token), HttpStatusCode.Created);
        var ticket = tickets[0]; // the client only ever saw the first answer... or the second: either works
        Assert.Equal(HttpStatusCode.OK, await SendPutAsync(ticket, bytes));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await SendPutAsync(ticket, bytes)); // "already stored"
        var uploadId = ticket["uploadId"]!.GetValue<string>();
        var completions = await TwiceAsync(() => user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
        var chapterId = IdOf(completions[0]);
        Assert.Equal(chapterId, IdOf(completions[1]));
        await TwiceAsync(() => user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{chapterId}/stream", Token), HttpStatusCode.OK);
        var at = DateTimeOffset.UtcNow;
        var saved = await TwiceAsync(() => user.Http.PutAsJsonAsync($"/api/v1/books/{bookId}/progress",
            new { chapterId, positionSeconds = 2.5, clientUpdatedAt = at }, Token), HttpStatusCode.OK);
        Assert.All(saved, p => Assert.Equal(2.5, p["positionSeconds"]!.GetValue<double>()));

        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Equal(chapterId, IdOf(chapters["items"]!.AsArray().Single()!.AsObject()));
        Assert.Equal([$"books/{bookId}/chapters/{chapterId}.m4a"], await apphost.AudioKeysAsync(bookId));

        // The duplicate upload ticket was never used: its record goes by TTL, like any abandoned upload.
        Assert.Single(await apphost.UploadRecordsAsync(bookId));
        await apphost.SweepLifecycleAsync(DateTimeOffset.UtcNow.AddDays(4), bookId);
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Equal([$"books/{bookId}/chapters/{chapterId}.m4a"], await apphost.AudioKeysAsync(bookId));
    }

    /// <summary>Sends the call twice, the repeat while the first may still be in flight.</summary>
    private static async Task<JsonObject[]> TwiceAsync(Func<Task<HttpResponseMessage>> call, HttpStatusCode expected)
    {
        var first = call();
        var second = call();
        return [await ReadAsync(await first, expected), await ReadAsync(await second, expected)];
    }
}
