using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// Uploads that are never completed: their objects carry a pending tag that the bucket's lifecycle
/// rule expires, their records a TTL. Locally the AppHost's lifecycle sweep applies both rules as
/// AWS would; here it runs once "four days later", limited to this test's book.
/// </summary>
public sealed class AbandonedUploadTests(AppHostFixture apphost)
{
    [Fact]
    public async Task An_upload_url_writes_once_with_the_pending_tag_and_every_header_it_needs_is_signed()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");

        var ticket = await user.UploadAsync(bookId, bytes);

        var headers = ticket["headers"]!.AsObject();
        Assert.Equal("audiobook-upload=pending", headers["x-amz-tagging"]!.GetValue<string>());
        Assert.Equal("*", headers["If-None-Match"]!.GetValue<string>());
        var signed = System.Web.HttpUtility.ParseQueryString(new Uri(ticket["url"]!.GetValue<string>()).Query)["X-Amz-SignedHeaders"]!.Split(';');
        Assert.Superset(new HashSet<string> { "content-type", "if-none-match", "x-amz-tagging" }, signed.ToHashSet());
        Assert.Equal("pending", (await apphost.ObjectTagsAsync(ObjectKey(bookId, ticket)))["audiobook-upload"]);

        // Written once: nobody can swap in other bytes later, before or after completion.
        Assert.Equal(HttpStatusCode.PreconditionFailed, await SendPutAsync(ticket, Mp4Samples.Read("moov-at-end.m4a")));
        await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.PreconditionFailed, await SendPutAsync(ticket, bytes));
        Assert.Empty(await apphost.ObjectTagsAsync(ObjectKey(bookId, ticket)));
    }

    [Fact]
    public async Task Uploads_never_completed_lose_their_objects_and_records_while_chapters_stay()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var completed = await user.UploadAsync(bookId, bytes);
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, completed["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        var abandonedAfterPut = await user.UploadAsync(bookId, bytes);
        var abandonedBeforePut = await ReadAsync(await user.Http.PostAsync($"/api/v1/books/{bookId}/uploads",
            System.Net.Http.Json.JsonContent.Create(new { fileName = "never.m4a", contentType = "audio/mp4", sizeBytes = 1000 }), Token), HttpStatusCode.Created);
        Assert.Equal(2, (await apphost.AudioKeysAsync(bookId)).Count);
        Assert.Equal(2, (await apphost.UploadRecordsAsync(bookId)).Count);

        await apphost.SweepLifecycleAsync(DateTimeOffset.UtcNow.AddHours(1), bookId); // too early: nothing goes
        Assert.Equal(2, (await apphost.AudioKeysAsync(bookId)).Count);
        Assert.Equal(2, (await apphost.UploadRecordsAsync(bookId)).Count);

        await apphost.SweepLifecycleAsync(DateTimeOffset.UtcNow.AddDays(4), bookId);

        Assert.Equal([ObjectKey(bookId, completed)], await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        await ExpectProblem(await user.CompleteAsync(bookId, abandonedAfterPut["uploadId"]!.GetValue<string>()), HttpStatusCode.NotFound);
        await ExpectProblem(await user.CompleteAsync(bookId, abandonedBeforePut["uploadId"]!.GetValue<string>()), HttpStatusCode.NotFound);
        var stream = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        using var storage = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await storage.GetAsync(stream["url"]!.GetValue<string>(), Token)).StatusCode);
    }

    [Fact]
    public async Task Multipart_uploads_left_open_are_aborted_a_day_after_they_started_and_cannot_complete()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var file = Audiobook.Load.PaddedMp4.MoovAtEnd(Mp4Samples.Read("moov-at-end.m4a"), 12L * 1024 * 1024);
        var ticket = await ReadAsync(await user.Http.PostAsync($"/api/v1/books/{bookId}/uploads",
            System.Net.Http.Json.JsonContent.Create(new { fileName = "book.m4a", contentType = "audio/mp4", sizeBytes = file.Length, multipart = true }), Token),
            HttpStatusCode.Created);
        var sender = new Audiobook.Load.MultipartSender(user.Http, bookId, ticket["uploadId"]!.GetValue<string>());
        var part = (await sender.SignAsync([1], Token))[0]!;
        Assert.Equal(HttpStatusCode.OK, await sender.PutPartAsync(part["url"]!.GetValue<string>(), file, 0, part["sizeBytes"]!.GetValue<long>(), Token));

        await apphost.SweepLifecycleAsync(DateTimeOffset.UtcNow.AddHours(23), bookId); // started less than a day ago: kept
        Assert.Single(await apphost.OpenMultipartUploadsAsync(bookId));
        Assert.Equal([1], await sender.StoredPartsAsync(Token));

        await apphost.SweepLifecycleAsync(DateTimeOffset.UtcNow.AddHours(25), bookId);

        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
        var problem = await ExpectProblem(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("parts-gone", problem["reason"]!.GetValue<string>());
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Empty(await apphost.AudioKeysAsync(bookId));
    }

    [Fact]
    public async Task The_apphost_runs_the_sweep_against_the_emulator_with_the_rules_of_the_template()
    {
        await apphost.App.ResourceNotifications.WaitForResourceAsync("lifecycle", Aspire.Hosting.ApplicationModel.KnownResourceStates.Running, Token)
            .WaitAsync(TimeSpan.FromSeconds(30), Token);
        using var s3 = apphost.CreateS3Client();

        var rules = (await s3.GetLifecycleConfigurationAsync(apphost.Setting("Storage__BucketName"), Token)).Configuration.Rules;

        Assert.Contains(rules, r => r.Id == "abandoned-uploads" && r.Expiration.Days == 3);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!apphost.Logs.Any(IsSweepStart) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Token);
        }
        Assert.Contains(apphost.Logs, IsSweepStart);
        static bool IsSweepStart(string line) =>
            line.StartsWith("lifecycle: ", StringComparison.Ordinal) && line.EndsWith(" sweeping every 60 s", StringComparison.Ordinal);
    }

    private static string ObjectKey(string bookId, JsonObject ticket) =>
        $"books/{bookId}/chapters/{ticket["uploadId"]!.GetValue<string>()}.m4a";
}
