using System.Diagnostics.Metrics;

namespace Audiobook.Api.Telemetry;

/// <summary>The service's own metrics, shown in the Aspire dashboard and exported to CloudWatch.</summary>
public sealed class AudiobookMetrics
{
    public const string MeterName = "Audiobook.Api";

    private readonly Counter<long> uploadsCompleted;
    private readonly Counter<long> uploadsRejected;
    private readonly Counter<long> bytesUploaded;
    private readonly Histogram<long> bytesInspected;
    private readonly Counter<long> streamUrlsIssued;
    private readonly Counter<long> loginFailures;
    private readonly Counter<long> refreshTokensReused;

    public AudiobookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        uploadsCompleted = meter.CreateCounter<long>("audiobook.uploads.completed", "{upload}", "Uploads accepted as chapters.");
        uploadsRejected = meter.CreateCounter<long>("audiobook.uploads.rejected", "{upload}", "Uploads refused at completion, by reason.");
        bytesUploaded = meter.CreateCounter<long>("audiobook.uploads.bytes", "By", "Audio bytes accepted.");
        bytesInspected = meter.CreateHistogram<long>("audiobook.uploads.inspected_bytes", "By",
            "Bytes read from storage to inspect one upload (the MP4 boxes, never the audio itself).");
        streamUrlsIssued = meter.CreateCounter<long>("audiobook.stream_urls.issued", "{url}", "Signed stream and download URLs handed out.");
        loginFailures = meter.CreateCounter<long>("audiobook.logins.failed", "{attempt}", "Sign-in attempts with a wrong e-mail or password.");
        refreshTokensReused = meter.CreateCounter<long>("audiobook.refresh_tokens.reused", "{token}", "Refresh tokens presented again after use; each ends its session.");
    }

    public void UploadCompleted(long bytes)
    {
        uploadsCompleted.Add(1);
        bytesUploaded.Add(bytes);
    }

    public void UploadInspected(long bytesRead) => bytesInspected.Record(bytesRead);

    public void UploadRejected(string reason) => uploadsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void StreamUrlIssued(string kind, string signer) =>
        streamUrlsIssued.Add(1, new("kind", kind), new("signer", signer));

    public void LoginFailed() => loginFailures.Add(1);

    public void RefreshTokenReused() => refreshTokensReused.Add(1);
}
