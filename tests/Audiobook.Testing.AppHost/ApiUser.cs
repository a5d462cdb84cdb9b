using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Audiobook.Load;

namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// A freshly registered user talking to the API through the AppHost, as a client would. Each has
/// its own client address (X-Forwarded-For, trusted from the loopback proxy) so per-client rate
/// limits do not couple tests.
/// </summary>
public sealed class ApiUser : IDisposable
{
    private static int counter;

    private ApiUser(HttpClient http, string email, string password, string id, string accessToken, string refreshToken)
    {
        Http = http;
        Email = email;
        Password = password;
        Id = id;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
    }

    public HttpClient Http { get; }

    public string Email { get; }

    public string Password { get; }

    public string Id { get; }

    public string AccessToken { get; }

    /// <summary>The refresh token of the sign-in (not updated: tests that refresh keep their own).</summary>
    public string RefreshToken { get; }

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// An HTTP client for the API with a client address of its own and no credentials: behind the
    /// production-like gateway, a loopback address of its own; elsewhere an X-Forwarded-For the API
    /// trusts from its loopback proxy.
    /// </summary>
    public static HttpClient Anonymous(AppHostFixture apphost)
    {
        if (apphost.PublicEntry == "gateway")
        {
            return LoopbackClient.FromOwnAddress(apphost.App.GetEndpoint(apphost.PublicEntry, "http"));
        }
        var http = apphost.CreateApiClient();
        var n = Interlocked.Increment(ref counter);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.{(n / 250) % 250}.{n % 250 + 1}");
        return http;
    }

    public static Task<ApiUser> CreateAsync(AppHostFixture apphost, string? displayName = null) =>
        CreateAsync(Anonymous(apphost), displayName);

    /// <summary>Registers and signs in a fresh account through <paramref name="http"/> (which it then owns).</summary>
    public static async Task<ApiUser> CreateAsync(HttpClient http, string? displayName = null)
    {
        var email = $"listener-{Guid.NewGuid():N}@example.com";
        const string password = "a long listening passphrase";
        var registered = await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = displayName ?? "Listener" }, Token);
        await Expect(registered, HttpStatusCode.Created);
        var id = (await registered.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>();
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, Token);
        await Expect(login, HttpStatusCode.OK);
        var tokens = (await login.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var token = tokens["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiUser(http, email, password, id, token, tokens["refreshToken"]!.GetValue<string>());
    }

    /// <summary>The same account signed in again through <paramref name="http"/> (which it then owns): a token issued at the API's time now.</summary>
    public async Task<ApiUser> SignInAgainAsync(HttpClient http)
    {
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = Email, password = Password }, Token);
        await Expect(login, HttpStatusCode.OK);
        var tokens = (await login.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        var token = tokens["accessToken"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiUser(http, Email, Password, Id, token, tokens["refreshToken"]!.GetValue<string>());
    }

    public async Task<JsonObject> CreateBookAsync(string title = "The Odyssey", string author = "Homer")
    {
        var response = await Http.PostAsJsonAsync("/api/v1/books", new { title, author }, Token);
        return await ReadAsync(response, HttpStatusCode.Created);
    }

    /// <summary>create upload → PUT the bytes to the presigned URL → returns the ticket (not completed).</summary>
    public async Task<JsonObject> UploadAsync(string bookId, byte[] bytes, string fileName = "chapter.m4a", string contentType = "audio/mp4", string? title = null)
    {
        var ticket = await CreateUploadAsync(bookId, bytes, fileName, contentType, title);
        await PutAsync(ticket, bytes);
        return ticket;
    }

    /// <summary>The upload's ticket for these bytes, with nothing PUT yet.</summary>
    public async Task<JsonObject> CreateUploadAsync(string bookId, byte[] bytes, string fileName = "chapter.m4a", string contentType = "audio/mp4", string? title = null)
    {
        var created = await Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName, contentType, sizeBytes = bytes.LongLength, title }, Token);
        return await ReadAsync(created, HttpStatusCode.Created);
    }

    public static async Task PutAsync(JsonObject ticket, byte[] bytes)
    {
        var stored = await SendPutAsync(ticket, bytes);
        Assert.True(stored == HttpStatusCode.OK, $"PUT to the presigned URL answered {(int)stored}");
    }

    /// <summary>PUTs the bytes to the ticket's URL with the headers it names, as a client must.</summary>
    public static async Task<HttpStatusCode> SendPutAsync(JsonObject ticket, byte[] bytes)
    {
        using var storage = new HttpClient();
        using var put = Audiobook.Load.PresignedPut.Create(ticket, new ByteArrayContent(bytes));
        return (await storage.SendAsync(put, Token)).StatusCode;
    }

    public Task<HttpResponseMessage> CompleteAsync(string bookId, string uploadId) =>
        Http.PostAsync($"/api/v1/books/{bookId}/uploads/{uploadId}/complete", null, Token);

    /// <summary>A whole upload of a real file, completed: returns the chapter.</summary>
    public async Task<JsonObject> AddChapterAsync(string bookId, string sample = "faststart.m4a", string? fileName = null)
    {
        var ticket = await UploadAsync(bookId, Media.Mp4Samples.Read(sample), fileName ?? sample);
        return await ReadAsync(await CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>()), HttpStatusCode.Created);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Expect(response, expected);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
    }

    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Token)}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with the status, a title, a detail and a traceId.</summary>
    public static async Task<JsonObject> ExpectProblem(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Expect(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Token))!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), "problem without a title");
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"problem without a detail: {problem.ToJsonString()}");
        Assert.False(string.IsNullOrWhiteSpace(problem["traceId"]?.GetValue<string>()), "problem without a traceId");
        return problem;
    }

    public static string IdOf(JsonObject json) => json["id"]!.GetValue<string>();

    public void Dispose() => Http.Dispose();
}
