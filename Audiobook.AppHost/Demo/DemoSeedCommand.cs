using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Audiobook.AppHost.Demo;

/// <summary>
/// A dashboard command on the API: creates a demo account with a sample book of two real M4A
/// chapters (Demo/Audio), through the public API exactly as a client would (upload → PUT → complete).
/// </summary>
public static class DemoSeedCommand
{
    public const string Name = "seed-demo";
    public const string Email = "demo@audiobook.local";

    /// <summary>Local demo data only; the emulator is reset with its data.</summary>
    public const string Password = "listen to the sine waves";

    public static IResourceBuilder<ProjectResource> WithDemoSeedCommand(this IResourceBuilder<ProjectResource> api, string appHostDirectory) =>
        api.WithCommand(
            Name,
            "Seed demo data",
            async context =>
            {
                var endpoint = api.GetEndpoint("http");
                using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
                try
                {
                    await SeedAsync(http, Path.Combine(appHostDirectory, "Demo", "Audio"), context.CancellationToken);
                    return CommandResults.Success();
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
                {
                    return CommandResults.Failure(ex.Message);
                }
            },
            new CommandOptions
            {
                Description = $"Creates {Email} (password: {Password}) with a sample book of two chapters.",
                IconName = "BookAdd",
                UpdateState = context => context.ResourceSnapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                    ? ResourceCommandState.Enabled
                    : ResourceCommandState.Disabled,
            });

    public static async Task<string> SeedAsync(HttpClient http, string audioDirectory, CancellationToken ct)
    {
        var registered = await http.PostAsJsonAsync("/api/v1/auth/register", new { email = Email, password = Password, displayName = "Demo Listener" }, ct);
        if (!registered.IsSuccessStatusCode && registered.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Register answered {(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync(ct)}");
        }
        var login = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { email = Email, password = Password }, ct), ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login["accessToken"]!.GetValue<string>());

        var book = await ReadAsync(await http.PostAsJsonAsync("/api/v1/books", new
        {
            title = "Tones for Testing",
            author = "Audiobook Demo",
            narrator = "A Sine Wave",
            description = "Two short chapters generated with ffmpeg, to try streaming, seeking and resuming.",
            language = "en",
        }, ct), ct);
        var bookId = book["id"]!.GetValue<string>();

        foreach (var file in Directory.GetFiles(audioDirectory, "*.m4a").Order())
        {
            var bytes = await File.ReadAllBytesAsync(file, ct);
            var ticket = await ReadAsync(await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
                new { fileName = Path.GetFileName(file), contentType = "audio/mp4", sizeBytes = bytes.Length }, ct), ct);
            using var storage = new HttpClient();
            using var put = new HttpRequestMessage(HttpMethod.Put, ticket["url"]!.GetValue<string>()) { Content = new ByteArrayContent(bytes) };
            foreach (var (name, value) in ticket["headers"]!.AsObject())
            {
                if (!put.Content.Headers.TryAddWithoutValidation(name, value!.GetValue<string>()))
                {
                    put.Headers.TryAddWithoutValidation(name, value.GetValue<string>());
                }
            }
            (await storage.SendAsync(put, ct)).EnsureSuccessStatusCode();
            await ReadAsync(await http.PostAsync($"/api/v1/books/{bookId}/uploads/{ticket["uploadId"]!.GetValue<string>()}/complete", null, ct), ct);
        }
        return bookId;
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
    }
}
