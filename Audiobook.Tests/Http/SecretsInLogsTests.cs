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
        using var http = Anonymous(apphost);
        var email = $"secret-{Guid.NewGuid():N}@example.com";
        const string password = "this passphrase must never be logged";
        await Expect(await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = "Quiet" }, Token), HttpStatusCode.Created);
        await Expect(await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = password + " but wrong" }, Token), HttpStatusCode.Unauthorized);
        var login = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, Token), HttpStatusCode.OK);
        var token = login["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var book = await ReadAsync(await http.PostAsJsonAsync("/api/v1/books", new { title = "Quiet", author = "Q" }, Token), HttpStatusCode.Created);
        var bookId = IdOf(book);
        var bytes = Media.Mp4Samples.Read("faststart.m4a");
        var ticket = await ReadAsync(await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "q.m4a", contentType = "audio/mp4", sizeBytes = bytes.Length }, Token), HttpStatusCode.Created);
        await PutAsync(ticket, bytes);
        var chapter = await ReadAsync(await http.PostAsync($"/api/v1/books/{bookId}/uploads/{ticket["uploadId"]}/complete", null, Token), HttpStatusCode.Created);
        var rejected = await ReadAsync(await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "bad.m4a", contentType = "audio/mp4", sizeBytes = 59 }, Token), HttpStatusCode.Created);
        await PutAsync(rejected, Media.Mp4Samples.Read("text.m4a"));
        await http.PostAsync($"/api/v1/books/{bookId}/uploads/{rejected["uploadId"]}/complete", null, Token);
        var stream = await ReadAsync(await http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/stream", Token), HttpStatusCode.OK);
        var download = await ReadAsync(await http.GetAsync($"/api/v1/books/{bookId}/chapters/{IdOf(chapter)}/download", Token), HttpStatusCode.OK);
        await Expect(await http.DeleteAsync($"/api/v1/books/{bookId}", Token), HttpStatusCode.NoContent);

        using var ssm = apphost.CreateSsmClient();
        var jwtKey = (await ssm.GetParameterAsync(new() { Name = "/audiobook/local/Jwt/SigningKey", WithDecryption = true }, Token)).Parameter.Value;
        var cdnKey = (await ssm.GetParameterAsync(new() { Name = "/audiobook/local/CloudFront/Keys/A/PrivateKey", WithDecryption = true }, Token)).Parameter.Value;
        var secrets = new Dictionary<string, string>
        {
            ["the password"] = password,
            ["the access token"] = token,
            ["the token's signature"] = token.Split('.')[2],
            ["the JWT signing key"] = jwtKey,
            ["a line of the CloudFront private key"] = cdnKey.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1],
            ["the upload URL's signature"] = Signature(ticket["url"]!.GetValue<string>()),
            ["the stream URL's signature"] = Signature(stream["url"]!.GetValue<string>()),
            ["the download URL's signature"] = Signature(download["url"]!.GetValue<string>()),
        };

        await Task.Delay(TimeSpan.FromSeconds(1), Token);   // let the last lines arrive
        var logs = apphost.Logs;
        Assert.NotEmpty(logs);
        Assert.Contains(logs, line => line.Contains("rejected", StringComparison.Ordinal));   // the session was logged at all
        foreach (var (what, value) in secrets)
        {
            Assert.False(logs.Any(line => line.Contains(value, StringComparison.Ordinal)), $"The logs contain {what}.");
        }
        Assert.DoesNotContain(logs, line => line.Contains("PRIVATE KEY", StringComparison.Ordinal) || line.Contains("X-Amz-Signature=", StringComparison.Ordinal));
    }

    private static string Signature(string url) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Signature"] ?? throw new InvalidOperationException("no signature in " + url);
}
