using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Api.Telemetry;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;
using Microsoft.Extensions.DependencyInjection;

namespace Audiobook.Tests.Foundation;

/// <summary>The service's own metrics (what the dashboard charts) count what really happened.</summary>
public sealed class MetricsTests(AppHostFixture apphost)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_stream_urls_and_failed_logins_are_counted()
    {
        await using var api = InProcessApi.Create(apphost, "Development");
        using var http = api.CreateClient();
        var meter = api.Services.GetRequiredService<IMeterFactory>().Create(AudiobookMetrics.MeterName);
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();

        var email = await InProcessApi.SignInNewUserAsync(http);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong wrong wrong" }, Token)).StatusCode);
        var book = await (await http.PostAsJsonAsync("/api/v1/books", new { title = "Counted", author = "Me" }, Token)).Content.ReadFromJsonAsync<JsonObject>(Token);
        var bookId = book!["id"]!.GetValue<string>();
        var bytes = Mp4Samples.Read("faststart.m4a");
        var ticket = await (await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads", new { fileName = "a.m4a", contentType = "audio/mp4", sizeBytes = bytes.Length }, Token)).Content.ReadFromJsonAsync<JsonObject>(Token);
        await ApiUser.PutAsync(ticket!, bytes);
        var chapter = await (await http.PostAsync($"/api/v1/books/{bookId}/uploads/{ticket!["uploadId"]}/complete", null, Token)).Content.ReadFromJsonAsync<JsonObject>(Token);
        (await http.GetAsync($"/api/v1/books/{bookId}/chapters/{chapter!["id"]}/stream", Token)).EnsureSuccessStatusCode();
        var rejected = await (await http.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads", new { fileName = "b.m4a", contentType = "audio/mp4", sizeBytes = 59 }, Token)).Content.ReadFromJsonAsync<JsonObject>(Token);
        await ApiUser.PutAsync(rejected!, Mp4Samples.Read("text.m4a"));
        await http.PostAsync($"/api/v1/books/{bookId}/uploads/{rejected!["uploadId"]}/complete", null, Token);

        Assert.Equal(1, totals.GetValueOrDefault("audiobook.logins.failed"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.uploads.completed"));
        Assert.Equal(bytes.Length, totals.GetValueOrDefault("audiobook.uploads.bytes"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.uploads.rejected"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.stream_urls.issued"));
    }
}
