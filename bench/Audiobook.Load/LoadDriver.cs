using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Audiobook.Load;

/// <param name="Api">The API's base address (the local AppHost's).</param>
/// <param name="Listeners">Simulated listeners, each with its own account, book and client address.</param>
/// <param name="Duration">How long they keep uploading, streaming and saving progress.</param>
/// <param name="Rounds">Instead of a duration, exactly this many rounds each (tests: a result that does not depend on the machine's speed).</param>
/// <param name="Audio">A real .m4a every upload sends.</param>
/// <param name="FromOwnAddresses">
/// Each listener connects from a loopback address of its own, for an API behind a gateway that
/// trusts only the connection's address (the production-like profile's); otherwise each sends an
/// X-Forwarded-For of its own, which an API trusts from its loopback proxy.
/// </param>
public sealed record LoadOptions(Uri Api, int Listeners, TimeSpan Duration, byte[] Audio, bool FromOwnAddresses = false, int? Rounds = null);

public sealed record LoadResult(TimeSpan Elapsed, Latencies Latencies, IReadOnlyList<string> Errors, IReadOnlyList<string> AuditProblems, int ChaptersAcknowledged, int ProgressSaves, int Retries)
{
    public double OperationsPerSecond => Latencies.Total / Elapsed.TotalSeconds;
}

/// <summary>
/// N listeners that register, create a book, then until time is up: upload a chapter (ticket → PUT
/// to storage → complete), get its stream URL and read a range from it, and save progress — now and
/// then with a stale update that must not win. Then an audit: every acknowledged chapter exists once
/// and its audio is served, numbers are unique, and each book's progress is the last one acknowledged.
/// </summary>
public static class LoadDriver
{
    private const string Password = "a long listening passphrase";

    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct)
    {
        var latencies = new Latencies();
        var errors = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + options.Duration;
        var listeners = Enumerable.Range(0, options.Listeners).Select(i => new Listener(options, i, latencies, errors)).ToList();
        await Task.WhenAll(listeners.Select(l => l.RunAsync(deadline, ct)));
        var elapsed = clock.Elapsed;

        var audit = new ConcurrentQueue<string>();
        await Task.WhenAll(listeners.Select(l => l.AuditAsync(audit, ct)));
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }
        return new LoadResult(elapsed, latencies, [.. errors], [.. audit], listeners.Sum(l => l.Chapters.Count), listeners.Sum(l => l.ProgressSaves), listeners.Sum(l => l.Retries));
    }

    private sealed class Listener(LoadOptions options, int index, Latencies latencies, ConcurrentQueue<string> errors) : IDisposable
    {
        // Storage and the CDN, as browsers reach them (a local edge's *.localhost name included).
        private static readonly HttpClient Storage = LoopbackClient.Create();
        private readonly HttpClient api = CreateClient(options, index);
        private string bookId = "";
        private (string ChapterId, double Position, DateTimeOffset At)? lastProgress;

        public List<string> Chapters { get; } = [];

        public int ProgressSaves { get; private set; }

        /// <summary>503s and 429s this listener waited out and retried (its calls run one at a time).</summary>
        public int Retries { get; private set; }

        public async Task RunAsync(DateTime deadline, CancellationToken ct)
        {
            var email = $"load-{Guid.NewGuid():N}@example.com";
            if (await CallAsync("register", HttpStatusCode.Created, () => api.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, displayName = $"Listener {index}" }, ct)) is null
                || await CallAsync("login", HttpStatusCode.OK, () => api.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }, ct)) is not { } tokens)
            {
                return;
            }
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
            if (await CallAsync("create-book", HttpStatusCode.Created, () => api.PostAsJsonAsync("/api/v1/books", new { title = $"Load {index}", author = "bench" }, ct)) is not { } book)
            {
                return;
            }
            bookId = book["id"]!.GetValue<string>();
            for (var round = 0; (options.Rounds is { } rounds ? round < rounds : DateTime.UtcNow < deadline) && !ct.IsCancellationRequested; round++)
            {
                await RoundAsync(round, ct);
            }
        }

        private async Task RoundAsync(int round, CancellationToken ct)
        {
            var ticket = await CallAsync("create-upload", HttpStatusCode.Created, () => api.PostAsJsonAsync($"/api/v1/books/{bookId}/uploads",
                new { fileName = $"chapter-{round}.m4a", contentType = "audio/mp4", sizeBytes = options.Audio.Length }, ct));
            if (ticket is null || !await PutAsync(ticket, ct))
            {
                return;
            }
            var chapter = await CallAsync("complete", HttpStatusCode.Created, () => api.PostAsync($"/api/v1/books/{bookId}/uploads/{ticket["uploadId"]!.GetValue<string>()}/complete", null, ct));
            if (chapter is null)
            {
                return;
            }
            var chapterId = chapter["id"]!.GetValue<string>();
            Chapters.Add(chapterId);

            var stream = await CallAsync("stream-url", HttpStatusCode.OK, () => api.GetAsync($"/api/v1/books/{bookId}/chapters/{chapterId}/stream", ct));
            if (stream is not null)
            {
                await TimedAsync("range-read", HttpStatusCode.PartialContent, () => RangeAsync(stream["url"]!.GetValue<string>(), ct));
            }

            var at = DateTimeOffset.UtcNow;
            var position = 1.5 + round;
            var saved = await CallAsync("save-progress", HttpStatusCode.OK, () => api.PutAsJsonAsync($"/api/v1/books/{bookId}/progress",
                new { chapterId, positionSeconds = position, clientUpdatedAt = at }, ct));
            if (saved is not null)
            {
                lastProgress = (chapterId, saved["positionSeconds"]!.GetValue<double>(), at);
                ProgressSaves++;
            }
            if (round % 3 == 2 && lastProgress is { } last)
            {
                // A phone that was offline sends an older position: it must not win.
                var stale = await CallAsync("save-progress", HttpStatusCode.OK, () => api.PutAsJsonAsync($"/api/v1/books/{bookId}/progress",
                    new { chapterId = Chapters[0], positionSeconds = 0.5, clientUpdatedAt = last.At.AddMinutes(-5) }, ct));
                if (stale is not null && stale["positionSeconds"]!.GetValue<double>() != last.Position)
                {
                    errors.Enqueue($"listener {index}: a stale progress update went through (position {stale["positionSeconds"]} after {last.Position})");
                }
            }
        }

        public async Task AuditAsync(ConcurrentQueue<string> problems, CancellationToken ct)
        {
            if (bookId.Length == 0)
            {
                problems.Enqueue($"listener {index} never got started");
                return;
            }
            var listed = new List<JsonObject>();
            string? cursor = null;
            do
            {
                var page = await ReadAsync($"/api/v1/books/{bookId}/chapters?limit=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", ct);
                listed.AddRange(page!["items"]!.AsArray().Select(i => i!.AsObject()));
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            while (cursor is not null);

            var ids = listed.Select(c => c["id"]!.GetValue<string>()).ToList();
            foreach (var missing in Chapters.Except(ids))
            {
                problems.Enqueue($"listener {index}: acknowledged chapter {missing} is missing");
            }
            if (ids.Count != Chapters.Count)
            {
                problems.Enqueue($"listener {index}: {ids.Count} chapters stored, {Chapters.Count} acknowledged");
            }
            var numbers = listed.Select(c => c["number"]!.GetValue<int>()).ToList();
            if (numbers.Distinct().Count() != numbers.Count)
            {
                problems.Enqueue($"listener {index}: duplicate chapter numbers");
            }
            var book = await ReadAsync($"/api/v1/books/{bookId}", ct);
            if (book!["chapterCount"]!.GetValue<int>() != Chapters.Count)
            {
                problems.Enqueue($"listener {index}: the book counts {book["chapterCount"]} chapters, {Chapters.Count} acknowledged");
            }
            foreach (var chapterId in Chapters)
            {
                // The stream-URL limit (a burst of 30 per user) is reached by a fast run's audit: it waits, as a player would.
                var stream = await ReadAsync($"/api/v1/books/{bookId}/chapters/{chapterId}/stream", ct);
                using var audio = await RangeAsync(stream!["url"]!.GetValue<string>(), ct);
                if (audio.StatusCode != HttpStatusCode.PartialContent)
                {
                    problems.Enqueue($"listener {index}: the audio of chapter {chapterId} answers {(int)audio.StatusCode}");
                }
            }
            if (lastProgress is { } last)
            {
                var progress = await ReadAsync($"/api/v1/books/{bookId}/progress", ct);
                if (progress!["chapterId"]!.GetValue<string>() != last.ChapterId || progress["positionSeconds"]!.GetValue<double>() != last.Position)
                {
                    problems.Enqueue($"listener {index}: progress is {progress["chapterId"]}@{progress["positionSeconds"]}, last acknowledged {last.ChapterId}@{last.Position}");
                }
            }
        }

        private async Task<bool> PutAsync(JsonObject ticket, CancellationToken ct)
        {
            using var response = await TimedAsync("put-object", HttpStatusCode.OK,
                () => Storage.SendAsync(PresignedPut.Create(ticket, new ByteArrayContent(options.Audio)), ct));
            return response?.StatusCode == HttpStatusCode.OK;
        }

        private static Task<HttpResponseMessage> RangeAsync(string url, CancellationToken ct)
        {
            var get = new HttpRequestMessage(HttpMethod.Get, url);
            get.Headers.Range = new RangeHeaderValue(0, 1023);
            return Storage.SendAsync(get, ct);
        }

        private async Task<JsonObject?> CallAsync(string operation, HttpStatusCode expected, Func<Task<HttpResponseMessage>> call)
        {
            using var response = await TimedAsync(operation, expected, call);
            return response is null ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
        }

        /// <summary>
        /// Times the call. Like a well-behaved client it retries a 503 or 429 after its Retry-After (twice at
        /// most, counted under "retries"); any other unexpected status, or a failure, is an error (and null).
        /// </summary>
        private async Task<HttpResponseMessage?> TimedAsync(string operation, HttpStatusCode expected, Func<Task<HttpResponseMessage>> call)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await PolitelyAsync(call, tries: 2);
                latencies.Add(operation, clock.Elapsed);
                if (response.StatusCode == expected)
                {
                    return response;
                }
                errors.Enqueue($"{operation}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                response.Dispose();
            }
            catch (HttpRequestException ex)
            {
                errors.Enqueue($"{operation}: {ex.Message}");
            }
            return null;
        }

        /// <summary>Sends, and when told to wait (503, or 429 from a per-user or per-stage limit) waits as long as Retry-After says and sends again.</summary>
        private async Task<HttpResponseMessage> PolitelyAsync(Func<Task<HttpResponseMessage>> call, int tries)
        {
            var response = await call();
            for (var retry = 0; retry < tries && response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests; retry++)
            {
                Retries++;
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                response.Dispose();
                response = await call();
            }
            return response;
        }

        /// <summary>An audit read: it must succeed, however long the API's per-user limits make it wait.</summary>
        private async Task<JsonObject> ReadAsync(string path, CancellationToken ct)
        {
            using var response = await PolitelyAsync(() => api.GetAsync(path, ct), tries: 60);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        }

        private static HttpClient CreateClient(LoadOptions options, int index)
        {
            // Each listener its own client address, as real listeners have (the per-address sign-in limit).
            if (options.FromOwnAddresses)
            {
                var own = LoopbackClient.FromOwnAddress(options.Api);
                own.Timeout = TimeSpan.FromSeconds(30);
                return own;
            }
            var client = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"203.0.{index / 250 % 250}.{index % 250 + 1}"));
            return client;
        }

        public void Dispose() => api.Dispose();
    }
}
