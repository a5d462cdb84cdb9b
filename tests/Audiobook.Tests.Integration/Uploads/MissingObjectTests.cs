using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Audiobook.Tests.Foundation;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Uploads;

/// <summary>
/// Completing before the PUT, against storage that answers a missing object as S3 answers a caller
/// without s3:ListBucket (the API's role): 403 to the HEAD, not 404. It is still "nothing uploaded
/// yet" (422, the upload stays open), never a 500.
/// </summary>
public sealed class MissingObjectTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Completing_before_the_put_is_422_when_storage_answers_the_head_with_403_as_s3_does()
    {
        var refusals = new RefusingHeads();
        await using var api = InProcessApi.Create(apphost, "Development").WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(IAmazonS3) && !d.IsKeyedService);
            services.Remove(original);
            services.AddSingleton(sp =>
            {
                var s3 = (IAmazonS3)original.ImplementationFactory!(sp);
                ((ClientConfig)s3.Config).HttpClientFactory = refusals;
                return s3;
            });
        }));
        using var user = await CreateAsync(api.CreateClient());
        var bookId = IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await user.CreateUploadAsync(bookId, bytes, "one.m4a");
        var uploadId = ticket["uploadId"]!.GetValue<string>();

        var early = await user.CompleteAsync(bookId, uploadId);

        var problem = await ExpectProblem(early, (HttpStatusCode)422);
        Assert.Equal("Nothing uploaded", problem["title"]!.GetValue<string>());
        Assert.True(refusals.Refused > 0, "storage was never asked for the object");
        // The upload stays open: the client PUTs and completes.
        refusals.Stop();
        await PutAsync(ticket, bytes);
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, uploadId), HttpStatusCode.Created);
        Assert.Equal(uploadId, IdOf(chapter));
    }

    /// <summary>
    /// The SDK's own HTTP stack, with every HEAD of an object answered as S3 answers it without
    /// s3:ListBucket: 403, no body, S3's request-id headers. The SDK turns it into its exception itself.
    /// </summary>
    private sealed class RefusingHeads : HttpClientFactory
    {
        private volatile bool refusing = true;
        private int refused;

        public int Refused => refused;

        public void Stop() => refusing = false;

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

        private sealed class Handler(RefusingHeads owner) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (owner.refusing && request.Method == HttpMethod.Head && request.RequestUri!.AbsolutePath.Contains("/books/", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref owner.refused);
                    var forbidden = new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request, Content = new ByteArrayContent([]) };
                    forbidden.Headers.Add("x-amz-request-id", "4442587FB7D0A2F9");
                    forbidden.Headers.Add("x-amz-id-2", "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=");
                    forbidden.Headers.Add("Server", "AmazonS3");
                    forbidden.Content.Headers.ContentType = new("application/xml");
                    return forbidden;
                }
                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
