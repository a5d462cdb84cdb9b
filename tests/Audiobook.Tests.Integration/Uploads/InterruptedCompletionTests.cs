using System.Net;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// A completion that dies between checking the stored file and writing the chapter — before the
/// write, or after it took effect with the answer lost. The client sees a 503, retries, and ends
/// with exactly one chapter, its object kept, and no pending record or stray object left.
/// </summary>
public sealed class InterruptedCompletionTests(AppHostFixture apphost)
{
    public static TheoryData<string, FaultTiming> Interruptions => new()
    {
        { "untag the object", FaultTiming.BeforeCall },
        { "untag the object", FaultTiming.AfterCall },
        { "write the chapter", FaultTiming.BeforeCall },
        { "write the chapter", FaultTiming.AfterCall },
    };

    [Theory]
    [MemberData(nameof(Interruptions))]
    public async Task A_retried_completion_after_an_interruption_yields_one_chapter_and_nothing_orphaned(string step, FaultTiming timing)
    {
        FaultInjection<IAmazonS3>? s3Fault = null;
        FaultInjection<IAmazonDynamoDB>? dbFault = null;
        await using var api = InProcessApi.Create(apphost, "Development").WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            if (step == "untag the object")
            {
                Decorate<IAmazonS3>(services, s3 => FaultInjection<IAmazonS3>.Wrap(s3, timing, (m, _) => m.Name == "DeleteObjectTaggingAsync", out s3Fault));
            }
            else
            {
                Decorate<IAmazonDynamoDB>(services, db => FaultInjection<IAmazonDynamoDB>.Wrap(db, timing, WritesAChapter, out dbFault));
            }
        }));
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Mp4Samples.Read("moov-at-end.m4a"));
        var uploadId = ticket["uploadId"]!.GetValue<string>();

        var interrupted = await user.CompleteAsync(bookId, uploadId);

        await ExpectProblem(interrupted, HttpStatusCode.ServiceUnavailable);
        Assert.True((s3Fault?.HasStruck ?? false) || (dbFault?.HasStruck ?? false), "the fault never struck");
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
        Assert.Equal(uploadId, IdOf(chapter));
        Assert.Equal(1, chapter["number"]!.GetValue<int>());
        var again = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
        Assert.Equal(IdOf(chapter), IdOf(again));

        var book = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.OK);
        Assert.Equal(1, book["chapterCount"]!.GetValue<int>());
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Single(chapters["items"]!.AsArray());
        Assert.Equal([$"books/{bookId}/chapters/{uploadId}.m4a"], await apphost.AudioKeysAsync(bookId));
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
        Assert.Empty(await apphost.ObjectTagsAsync($"books/{bookId}/chapters/{uploadId}.m4a")); // the lifecycle rule leaves it alone
    }

    /// <summary>
    /// The interleaving the concurrent test can only hit by chance, made certain: a complete finds
    /// no chapter yet, then another instance completes the same upload (chapter written, upload record
    /// removed), then the first reads the upload — gone. It must answer with that chapter, not 404.
    /// </summary>
    [Fact]
    public async Task A_complete_overtaken_between_its_chapter_check_and_its_upload_read_answers_with_the_same_chapter()
    {
        string? watchedChapterKey = null;
        Func<Task<HttpResponseMessage>> rivalComplete = () => throw new InvalidOperationException("not armed");
        HttpResponseMessage? rivalAnswer = null;
        Interleaving<IAmazonDynamoDB>? overtaken = null;
        await using var rival = InProcessApi.Create(apphost, "Development");
        await using var api = InProcessApi.Create(apphost, "Development").WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            Decorate<IAmazonDynamoDB>(services, db => Interleaving<IAmazonDynamoDB>.Wrap(db,
                (m, args) => m.Name == "GetItemAsync" && args?[0] is GetItemRequest get && get.Key.TryGetValue("sk", out var sk) && sk.S == watchedChapterKey,
                async () => rivalAnswer = await rivalComplete(),
                out overtaken))));
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var uploadId = (await user.UploadAsync(bookId, Mp4Samples.Read("faststart.m4a")))["uploadId"]!.GetValue<string>();
        using var rivalHttp = rival.CreateClient();
        rivalHttp.DefaultRequestHeaders.Authorization = new("Bearer", user.AccessToken);
        rivalComplete = () => rivalHttp.PostAsync($"/api/v1/books/{bookId}/uploads/{uploadId}/complete", null, Token);
        watchedChapterKey = $"CHAPTER#{uploadId}";

        var chapter = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);

        Assert.True(overtaken?.HasStruck, "the rival never slipped in");
        var rivals = await ReadAsync(rivalAnswer!, HttpStatusCode.Created);
        Assert.Equal(IdOf(rivals), IdOf(chapter));
        Assert.Equal(1, chapter["number"]!.GetValue<int>());
        var chapters = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters", Token), HttpStatusCode.OK);
        Assert.Single(chapters["items"]!.AsArray());
        Assert.Empty(await apphost.UploadRecordsAsync(bookId));
    }

    private static bool WritesAChapter(MethodInfo method, object?[]? args) =>
        method.Name == "TransactWriteItemsAsync"
        && args?[0] is TransactWriteItemsRequest request
        && request.TransactItems.Any(i => i.Put?.Item.TryGetValue("sk", out var sk) == true && sk.S.StartsWith("CHAPTER#", StringComparison.Ordinal));

    private static void Decorate<TService>(IServiceCollection services, Func<TService, TService> wrap)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        services.Remove(original);
        services.AddSingleton(sp => wrap((TService)original.ImplementationFactory!(sp)));
    }
}
