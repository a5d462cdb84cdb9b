using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Audiobook.Bench;

/// <summary>A signed-in account on an API process, for setting up what a benchmark measures.</summary>
public sealed class ApiUserSession(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static async Task<ApiUserSession> CreateAsync(Uri api, CancellationToken ct)
    {
        var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", $"192.0.2.{Random.Shared.Next(1, 250)}");
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        const string password = "a long benchmarking passphrase";
        (await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = "Bench" }, ct)).EnsureSuccessStatusCode();
        var tokens = await Read(await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, ct), ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        return new ApiUserSession(http);
    }

    public async Task<string> CreateBookAsync(string title, CancellationToken ct) =>
        (await Read(await Http.PostAsJsonAsync("/api/v1/books", new { title, author = "bench" }, ct), ct))["id"]!.GetValue<string>();

    /// <summary>How long the last completion took, seen from here (the API's time and the emulator's).</summary>
    public TimeSpan LastCompletion { get; private set; }

    /// <summary>Uploads a file (from disk: one PUT, or in parts when the API asks for them) and completes it: the chapter's id.</summary>
    public async Task<string> AddChapterAsync(string bookId, string path, CancellationToken ct)
    {
        var size = new FileInfo(path).Length;
        var ticket = await CreateUploadAsync(bookId, size, multipart: false, ct);
        if (ticket["method"]!.GetValue<string>() == "MULTIPART")
        {
            using var file = new Audiobook.Load.FileBytes(path);
            await new Audiobook.Load.MultipartSender(Http, bookId, ticket["uploadId"]!.GetValue<string>())
                .SendMissingAsync(file, ticket["partSizeBytes"]!.GetValue<long>(), ticket["partCount"]!.GetValue<int>(), parallel: 4, ct);
        }
        else
        {
            await using var file = File.OpenRead(path);
            using var storage = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            using var put = Audiobook.Load.PresignedPut.Create(ticket, new StreamContent(file));
            put.Content!.Headers.ContentLength = size;
            (await storage.SendAsync(put, ct)).EnsureSuccessStatusCode();
        }
        return (await CompleteAsync(bookId, ticket["uploadId"]!.GetValue<string>(), ct))["id"]!.GetValue<string>();
    }

    public async Task<JsonObject> CreateUploadAsync(string bookId, long size, bool multipart, CancellationToken ct) =>
        await Read(await Http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
            new { fileName = "chapter.m4a", contentType = "audio/mp4", sizeBytes = size, multipart = multipart ? true : (bool?)null }, ct), ct);

    /// <summary>Completes an upload, timed (<see cref="LastCompletion"/>): the chapter.</summary>
    public async Task<JsonObject> CompleteAsync(string bookId, string uploadId, CancellationToken ct)
    {
        var completing = System.Diagnostics.Stopwatch.StartNew();
        var chapter = await Read(await Http.PostAsync($"/api/v1/books/{bookId}/uploads/{uploadId}/complete", null, ct), ct);
        LastCompletion = completing.Elapsed;
        return chapter;
    }

    public static async Task<JsonObject> Read(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }
}
