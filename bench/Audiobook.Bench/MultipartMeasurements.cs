using System.Diagnostics;
using System.Globalization;
using Audiobook.Load;

namespace Audiobook.Bench;

/// <summary>
/// A whole book of 5 GiB through the multipart flow against the AppHost's emulator, cut off at 60 % and
/// resumed by a client that lost its state: what the API's memory does, what it reads at completion,
/// what the client sends twice, what the emulator holds, and what a range read costs from such a file.
/// </summary>
public sealed partial class Measurements
{
    private const long MiB = 1024 * 1024;

    public async Task MultipartAsync()
    {
        var sample = await File.ReadAllBytesAsync(Sample("moov-at-end.m4a"), ct);
        await using var api = await ApiProcess.StartAsync(apiExecutable, apphost.ProductionApiEnvironment(false), ct);
        var user = await ApiUserSession.CreateAsync(api.Address, ct);
        var bookId = await user.CreateBookAsync("The whole book", ct);
        var emulator = EmulatorProcess();

        // A 20 MiB book in parts: warms the code paths, then is the small upload the large one is held to.
        var small = PaddedMp4.MoovAtEnd(sample, 20 * MiB);
        await SendInPartsAsync(user, bookId, small, ct);
        var (smallChapter, smallPeak) = await api.WithPeakRssAsync(() => SendInPartsAsync(user, bookId, small, ct));
        var baseline = api.RssMegabytes;

        var book = PaddedMp4.MoovAtEnd(sample, 5L * 1024 * MiB);
        var emulatorBefore = Rss(emulator);
        var emulatorPeak = emulatorBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                emulatorPeak = Math.Max(emulatorPeak, Rss(emulator));
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var ((bigChapter, partSize, sent, resent), bigPeak) = await api.WithPeakRssAsync(async () =>
        {
            var ticket = await user.CreateUploadAsync(bookId, book.Length, multipart: false, ct);
            var uploadId = ticket["uploadId"]!.GetValue<string>();
            var (size, count) = (ticket["partSizeBytes"]!.GetValue<long>(), ticket["partCount"]!.GetValue<int>());

            // One connection, cut off once 60 % of the file has been handed to it (mid-part)…
            var first = new MultipartSender(user.Http, bookId, uploadId);
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watch = Task.Run(async () =>
            {
                while (first.BytesSent < book.Length * 6 / 10 && !cut.IsCancellationRequested)
                {
                    await Task.Delay(5, CancellationToken.None);
                }
                await cut.CancelAsync();
            }, CancellationToken.None);
            try
            {
                await first.SendMissingAsync(book, size, count, parallel: 1, cut.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await watch;

            // …then a client that knows only the upload's id asks what is stored and sends the rest, four at a time.
            var second = new MultipartSender(user.Http, bookId, uploadId);
            await second.SendMissingAsync(book, size, count, parallel: 4, ct);
            var chapter = await user.CompleteAsync(bookId, uploadId, ct);
            return (chapter["id"]!.GetValue<string>(), size, first.BytesSent + second.BytesSent, first.BytesSent + second.BytesSent - book.Length);
        });
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        var inspected = api.Output.Select(line => InspectedLine().Match(line)).Where(m => m.Success)
            .Select(m => (Read: long.Parse(m.Groups["read"].Value, CultureInfo.InvariantCulture), Size: long.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture)))
            .Last(r => r.Size == book.Length);
        report.Add("a 5 GiB book in parts, cut off at 60 % and resumed by a client that lost its state: bytes sent again",
            $"{F(resent / (double)MiB, "0.0")} MiB of {F(sent / (double)MiB, "0")} MiB sent (parts of {partSize / MiB} MiB; {F(elapsed.TotalSeconds, "0")} s in all, completion {F(user.LastCompletion.TotalSeconds, "0.0")} s)",
            "≤ one part", resent <= partSize);
        report.Add("a 5 GiB book in parts: bytes the API read from storage at completion",
            $"{F(inspected.Read / 1024.0, "0.0")} KiB", "≤ 1 MiB", inspected.Read <= MiB);
        report.Add("a 5 GiB book in parts: API memory (peak RSS) vs a 20 MiB book in parts",
            $"{F(bigPeak, "0")} MB vs {F(smallPeak, "0")} MB ({F(baseline, "0")} MB between them)", "within 5 MB", bigPeak - smallPeak <= 5);
        report.Add("a 5 GiB book in parts: the emulator's memory (peak RSS while it stored and joined the parts)",
            emulator is null ? "emulator process not found" : $"{F(emulatorPeak, "0")} MB (from {F(emulatorBefore, "0")} MB)", "< 500 MB",
            emulator is not null && emulatorPeak < 500);

        // 64 KiB from anywhere in the 5 GiB object and in the 20 MiB one, through their stream URLs, alternately.
        var (fromSmall, fromBig) = (new List<double>(), new List<double>());
        var smallUrl = await StreamUrlAsync(user, bookId, smallChapter);
        var bigUrl = await StreamUrlAsync(user, bookId, bigChapter);
        using var storage = new HttpClient();
        for (var i = 0; i < 41; i++)
        {
            fromSmall.Add(await RangeAsync(storage, smallUrl, small.Length));
            fromBig.Add(await RangeAsync(storage, bigUrl, book.Length));
        }
        var (smallMedian, bigMedian) = (Latencies.Percentile(fromSmall, 50), Latencies.Percentile(fromBig, 50));
        report.Add("the emulator: a 64 KiB range read from a 5 GiB object vs from a 20 MiB one (median of 41 each)",
            $"{F(bigMedian, "0.0")} ms vs {F(smallMedian, "0.0")} ms = {F(bigMedian / smallMedian)}×", "within 2×", bigMedian <= 2 * smallMedian);
    }

    private static async Task<string> SendInPartsAsync(ApiUserSession user, string bookId, PaddedMp4 file, CancellationToken ct)
    {
        var ticket = await user.CreateUploadAsync(bookId, file.Length, multipart: true, ct);
        var uploadId = ticket["uploadId"]!.GetValue<string>();
        await new MultipartSender(user.Http, bookId, uploadId)
            .SendMissingAsync(file, ticket["partSizeBytes"]!.GetValue<long>(), ticket["partCount"]!.GetValue<int>(), parallel: 4, ct);
        return (await user.CompleteAsync(bookId, uploadId, ct))["id"]!.GetValue<string>();
    }

    private async Task<string> StreamUrlAsync(ApiUserSession user, string bookId, string chapterId) =>
        (await ApiUserSession.Read(await user.Http.GetAsync($"/api/v1/books/{bookId}/chapters/{chapterId}/stream", ct), ct))["url"]!.GetValue<string>();

    private async Task<double> RangeAsync(HttpClient storage, string url, long length)
    {
        var start = Random.Shared.NextInt64(0, length - 65536);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(start, start + 65535);
        var clock = Stopwatch.StartNew();
        using var response = await storage.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return body.Length == 65536 ? elapsed : throw new InvalidOperationException($"A range read answered {(int)response.StatusCode} with {body.Length} bytes.");
    }

    /// <summary>
    /// The AppHost's moto process (LocalAws/moto_server.py): the one started last since this process
    /// started. Aspire resolves the resource's own port only inside its orchestrator, so the port cannot tell.
    /// </summary>
    private static int? EmulatorProcess()
    {
        var since = Process.GetCurrentProcess().StartTime;
        var found = new List<(int Pid, DateTime Started)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid)
                    && File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0').Any(a => a.EndsWith("moto_server.py", StringComparison.Ordinal))
                    && Process.GetProcessById(pid).StartTime is var started && started >= since)
                {
                    found.Add((pid, started));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
            }
        }
        return found.OrderByDescending(m => m.Started).Select(m => (int?)m.Pid).FirstOrDefault();
    }

    private static double Rss(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
