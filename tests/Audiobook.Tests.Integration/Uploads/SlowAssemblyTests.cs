using System.Net;
using System.Net.Http.Json;
using Audiobook.Load;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// Joining a large file's parts takes S3 longer than any other call: the emulator took 16-17 s for 5 GiB
/// (docs/performance.md). The completion's join has its own timeout, <c>Storage:AssemblyTimeout</c>, not the
/// request timeout every other S3 call has. Here storage is reached through a forwarder (YARP) that holds
/// each join for 3 s, against a request timeout of 1 s.
/// </summary>
public sealed class SlowAssemblyTests(AppHostFixture apphost)
{
    private const long MiB = 1024 * 1024;

    private static readonly PaddedMp4 File = PaddedMp4.MoovAtEnd(Mp4Samples.Read("moov-at-end.m4a"), 20 * MiB);

    [Fact]
    public async Task A_join_slower_than_the_request_timeout_completes_within_the_assembly_timeout()
    {
        await using var storage = await SlowJoins.StartAsync(apphost.ApiEnvironment["AWS_ENDPOINT_URL"], TimeSpan.FromSeconds(3));
        await using var api = InProcessApi.Create(apphost, "Development", new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = storage.Address,
            ["Storage:RequestTimeout"] = "00:00:01",
            ["Storage:AssemblyTimeout"] = "00:00:10",
        });
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await ReadAsync(await user.Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "book.m4a", contentType = "audio/mp4", sizeBytes = File.Length, multipart = true }, Token), HttpStatusCode.Created);
        var uploadId = ticket["uploadId"]!.GetValue<string>();
        await new MultipartSender(user.Http, bookId, uploadId).SendMissingAsync(File, 8 * MiB, 3, parallel: 3, Token);

        var chapter = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);

        Assert.Equal(File.Length, chapter["sizeBytes"]!.GetValue<long>());
        Assert.Equal(1, storage.HeldJoins);
        Assert.Empty(await apphost.OpenMultipartUploadsAsync(bookId));
    }

    /// <summary>Storage behind a forwarder that holds every CompleteMultipartUpload before passing it on.</summary>
    private sealed class SlowJoins : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int held;

        private SlowJoins(WebApplication app) => this.app = app;

        public string Address => app.Urls.First();

        public int HeldJoins => held;

        public static async Task<SlowJoins> StartAsync(string storage, TimeSpan delay)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddHttpForwarder();
            var app = builder.Build();
            var slow = new SlowJoins(app);
            app.Use(async (context, next) =>
            {
                // POST /bucket/key?uploadId=…: the join (CreateMultipartUpload is POST ?uploads).
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Query.ContainsKey("uploadId"))
                {
                    Interlocked.Increment(ref slow.held);
                    await Task.Delay(delay, context.RequestAborted);
                }
                await next(context);
            });
            // The original Host: presigned URLs and header signatures cover it.
            app.MapForwarder("/{**path}", storage, transforms => transforms.AddOriginalHost(true));
            await app.StartAsync();
            return slow;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
