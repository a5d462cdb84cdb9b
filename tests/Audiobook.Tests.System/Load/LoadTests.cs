using Audiobook.Load;
using Audiobook.Tests.Infrastructure;
using Audiobook.Tests.Media;

namespace Audiobook.Tests.Load;

/// <summary>The short version of bench/'s load run: a few listeners for a few seconds, then the audit.</summary>
public sealed class LoadTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Listeners_uploading_streaming_and_saving_progress_at_once_lose_nothing()
    {
        var options = new LoadOptions(apphost.App.GetEndpoint("api", "http"), Listeners: 6, Duration: TimeSpan.Zero, Mp4Samples.Read("faststart.m4a"), Rounds: 3);

        var result = await LoadDriver.RunAsync(options, TestContext.Current.CancellationToken);

        Assert.Empty(result.Errors);
        Assert.Empty(result.AuditProblems);
        Assert.Equal(6 * 3, result.ChaptersAcknowledged);
        Assert.Equal(6 * 3, result.ProgressSaves);
        Assert.Equal(0, result.Retries); // no 503 or 429 silently waited out at this load
        Assert.Equal(
            ["complete", "create-book", "create-upload", "login", "put-object", "range-read", "register", "save-progress", "stream-url"],
            result.Latencies.Operations);
    }
}
