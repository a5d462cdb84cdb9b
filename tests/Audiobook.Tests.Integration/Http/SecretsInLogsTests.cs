using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Tests.Infrastructure;
using static Audiobook.Tests.Infrastructure.ApiUser;

namespace Audiobook.Tests.Http;

/// <summary>A whole session leaves no password, token, URL signature or key in the service's logs.</summary>
public sealed class SecretsInLogsTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_full_session_logs_no_secret()
    {
        using var user = await CreateAsync(apphost);
        using var stranger = Anonymous(apphost);
        await Expect(await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password + " but wrong" }, Token), HttpStatusCode.Unauthorized);
        var bookId = IdOf(await user.CreateBookAsync());
        var ticket = await user.UploadAsync(bookId, Media.Mp4Samples.Read("faststart.m4a"), "q.m4a");
        var chapter = await ReadAsync(await user.CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
        var rejected = await user.UploadAsync(bookId, Media.Mp4Samples.Read("text.m4a"), "bad.m4a");
        await user.CompleteAsync(bookId, rejected["uploadId"]!.GetValue<string>());
        var stream = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        var download = await ReadAsync(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/download", Token), HttpStatusCode.OK);
        await Expect(await user.Http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NoContent);

        using var ssm = apphost.CreateSsmClient();
        var jwtKey = (await ssm.GetParameterAsync(new() { Name = "/audiobook/local/Jwt/SigningKey", WithDecryption = true }, Token)).Parameter.Value;
        var cdnKey = (await ssm.GetParameterAsync(new() { Name = "/audiobook/local/CloudFront/Keys/A/PrivateKey", WithDecryption = true }, Token)).Parameter.Value;
        var secrets = new Dictionary<string, string>
        {
            ["the password"] = user.Password,
            ["the access token"] = user.AccessToken,
            ["the token's signature"] = user.AccessToken.Split('.')[2],
            ["the JWT signing key"] = jwtKey,
            ["a line of the CloudFront private key"] = cdnKey.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1],
            ["the upload URL's signature"] = Signature(ticket["url"]!.GetValue<string>()),
            ["the stream URL's signature"] = Signature(stream["url"]!.GetValue<string>()),
            ["the download URL's signature"] = Signature(download["url"]!.GetValue<string>()),
        };

        // A last rejection marks the end: the API's lines arrive in order, so once its line is in, all the session's are.
        var markerBook = IdOf(await user.CreateBookAsync());
        var marker = (await user.UploadAsync(markerBook, Media.Mp4Samples.Read("text.m4a"), "marker.m4a"))["uploadId"]!.GetValue<string>();
        await ExpectProblem(await user.CompleteAsync(markerBook, marker), HttpStatusCode.UnsupportedMediaType);
        var arrived = System.Diagnostics.Stopwatch.StartNew();
        while (!apphost.Logs.Any(line => line.Contains(marker, StringComparison.Ordinal) && line.Contains("rejected", StringComparison.Ordinal)))
        {
            Assert.True(arrived.Elapsed < TimeSpan.FromSeconds(30), "The API's log line for the last rejection never arrived.");
            await Task.Delay(50, Token);
        }
        var logs = apphost.Logs;
        Assert.Contains(logs, line => line.Contains(rejected["uploadId"]!.GetValue<string>(), StringComparison.Ordinal));   // the session was logged
        foreach (var (what, value) in secrets)
        {
            Assert.False(logs.Any(line => line.Contains(value, StringComparison.Ordinal)), $"The logs contain {what}.");
        }
        Assert.DoesNotContain(logs, line => line.Contains("PRIVATE KEY", StringComparison.Ordinal) || line.Contains("X-Amz-Signature=", StringComparison.Ordinal));
    }

    private static string Signature(string url) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Signature"] ?? throw new InvalidOperationException("no signature in " + url);
}
