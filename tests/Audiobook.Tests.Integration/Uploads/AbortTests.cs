using System.Net;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>DELETE …/uploads/{id}: a pending upload is given up, with whatever was stored for it; a chapter is not.</summary>
public sealed class AbortTests(AppHostFixture apphost)
{
    [Fact]
    public async Task An_aborted_upload_leaves_no_record_and_no_object()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var stored = await user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));
        var unsent = await user.CreateUploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));

        Assert.Equal(HttpStatusCode.NoContent, (await AbortAsync(user, bookId, stored)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await AbortAsync(user, bookId, unsent)).StatusCode);

        Assert.Empty(await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        await ExpectProblem(await user.CompleteAsync(bookId, UploadIdOf(stored)), HttpStatusCode.NotFound);
        await ExpectProblem(await AbortAsync(user, bookId, stored), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_completed_upload_is_a_chapter_and_is_not_aborted()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));
        await ReadAsync(await user.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);

        await ExpectProblem(await AbortAsync(user, bookId, ticket), HttpStatusCode.Conflict);

        Assert.Single(await apphost.AudioKeysAsync(bookId));
        await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{UploadIdOf(ticket)}", Token), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_users_upload_is_404()
    {
        using var owner = await CreateAsync(apphost);
        using var stranger = await CreateAsync(apphost);
        var bookId = IdOf(await owner.CreateBookAsync());
        var ticket = await owner.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));

        await ExpectProblem(await AbortAsync(stranger, bookId, ticket), HttpStatusCode.NotFound);

        await ReadAsync(await owner.CompleteAsync(bookId, UploadIdOf(ticket)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_abort_racing_a_complete_ends_as_one_or_the_other_never_both()
    {
        using var user = await CreateAsync(apphost);
        var bookId = IdOf(await user.CreateBookAsync());
        for (var round = 0; round < 6; round++)
        {
            var ticket = await user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a"));
            var uploadId = UploadIdOf(ticket);

            var (aborted, completed) = (AbortAsync(user, bookId, ticket), user.CompleteAsync(bookId, uploadId));
            var (abort, complete) = (await aborted, await completed);

            var chapter = await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{uploadId}", Token);
            var objects = (await apphost.AudioKeysAsync(bookId)).Count(key => key.Contains(uploadId, StringComparison.Ordinal));
            if (abort.StatusCode == HttpStatusCode.NoContent)
            {
                // The complete lost: the upload is gone (404), its object was gone when looked at (422), or
                // the object went away under a read (503, retry later: nothing was changed). Never a 500.
                Assert.True(complete.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity or HttpStatusCode.ServiceUnavailable,
                    $"round {round}: complete answered {(int)complete.StatusCode} after the abort");
                await ExpectProblem(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.NotFound);
                Assert.Equal(HttpStatusCode.NotFound, chapter.StatusCode);
                Assert.Equal(0, objects);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, abort.StatusCode);
                Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
                Assert.Equal(HttpStatusCode.OK, chapter.StatusCode);
                Assert.Equal(1, objects);
            }
        }
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
    }

    private static string UploadIdOf(System.Text.Json.Nodes.JsonObject ticket) => ticket["uploadId"]!.GetValue<string>();

    private static Task<HttpResponseMessage> AbortAsync(ApiUser user, string bookId, System.Text.Json.Nodes.JsonObject ticket) =>
        user.Http.DeleteAsync($"/api/v1/books/{bookId}/uploads/{UploadIdOf(ticket)}", Token);
}
