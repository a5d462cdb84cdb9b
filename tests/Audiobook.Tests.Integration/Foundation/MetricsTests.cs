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
        var http = api.CreateClient();
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

        using var user = await ApiUser.CreateAsync(http);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong wrong wrong" }, Token)).StatusCode);
        var bookId = ApiUser.IdOf(await user.CreateBookAsync());
        var bytes = Mp4Samples.Read("faststart.m4a");
        var chapter = await user.AddChapterAsync(bookId);
        (await http.GetAsync($"/api/v1/books/{bookId}/chapters/{ApiUser.IdOf(chapter)}/stream", Token)).EnsureSuccessStatusCode();
        var rejected = await user.UploadAsync(bookId, Mp4Samples.Read("text.m4a"), "b.m4a");
        await user.CompleteAsync(bookId, rejected["uploadId"]!.GetValue<string>());

        Assert.Equal(1, totals.GetValueOrDefault("audiobook.logins.failed"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.uploads.completed"));
        Assert.Equal(bytes.Length, totals.GetValueOrDefault("audiobook.uploads.bytes"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.uploads.rejected"));
        Assert.Equal(1, totals.GetValueOrDefault("audiobook.stream_urls.issued"));
    }
}
