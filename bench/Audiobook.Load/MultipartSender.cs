using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Audiobook.Api.Media;

namespace Audiobook.Load;

/// <summary>
/// What a client of a multipart ticket does: asks the API which parts storage holds, asks for URLs
/// for the others (at most 100 per call), and PUTs those parts, a few at a time, each with exactly
/// its bytes. It counts the bytes it sends, so a resume can be shown to send the rest only.
/// </summary>
public sealed class MultipartSender(HttpClient api, string bookId, string uploadId)
{
    private static readonly HttpClient Storage = new() { Timeout = TimeSpan.FromMinutes(10) };
    private long bytesSent;

    /// <summary>Bytes of part bodies handed to storage, including parts cut off by a cancellation.</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    public string Route => $"/api/v1/books/{bookId}/uploads/{uploadId}";

    /// <summary>The numbers of the parts storage holds now.</summary>
    public async Task<HashSet<int>> StoredPartsAsync(CancellationToken ct)
    {
        var listed = await api.GetFromJsonAsync<JsonObject>($"{Route}/parts", ct);
        return [.. listed!["parts"]!.AsArray().Select(p => p!["partNumber"]!.GetValue<int>())];
    }

    /// <summary>The part URLs for these numbers, as the API signs them.</summary>
    public async Task<JsonArray> SignAsync(IEnumerable<int> partNumbers, CancellationToken ct)
    {
        using var response = await api.PostAsJsonAsync($"{Route}/parts", new { partNumbers = partNumbers.ToArray() }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["parts"]!.AsArray();
    }

    /// <summary>Sends every part storage does not hold yet, <paramref name="parallel"/> at a time, then returns (not completed).</summary>
    public async Task SendMissingAsync(IByteSource file, long partSize, int partCount, int parallel, CancellationToken ct)
    {
        var stored = await StoredPartsAsync(ct);
        await SendPartsAsync(file, partSize, Enumerable.Range(1, partCount).Where(n => !stored.Contains(n)), parallel, ct);
    }

    /// <summary>Sends these parts of the file, <paramref name="parallel"/> at a time; storage must take each (200).</summary>
    public async Task SendPartsAsync(IByteSource file, long partSize, IEnumerable<int> partNumbers, int parallel, CancellationToken ct)
    {
        foreach (var batch in partNumbers.Chunk(100))
        {
            var urls = await SignAsync(batch, ct);
            await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (part, token) =>
            {
                var number = part!["partNumber"]!.GetValue<int>();
                var status = await PutPartAsync(part["url"]!.GetValue<string>(), file, (number - 1) * partSize,
                    part["sizeBytes"]!.GetValue<long>(), token);
                if (status != HttpStatusCode.OK)
                {
                    throw new HttpRequestException($"Storage answered {(int)status} to part {number}.", null, status);
                }
            });
        }
    }

    /// <summary>PUTs <paramref name="length"/> bytes of the file at <paramref name="offset"/> to a part URL.</summary>
    public async Task<HttpStatusCode> PutPartAsync(string url, IByteSource file, long offset, long length, CancellationToken ct)
    {
        var body = new byte[length];
        await file.ReadAsync(offset, body, ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new CountingContent(body, this) };
        using var response = await Storage.SendAsync(put, ct);
        return response.StatusCode;
    }

    /// <summary>The body of a part, counted as it is written to the connection.</summary>
    private sealed class CountingContent(byte[] body, MultipartSender sender) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            const int chunk = 256 * 1024;
            for (var at = 0; at < body.Length; at += chunk)
            {
                var n = Math.Min(chunk, body.Length - at);
                await stream.WriteAsync(body.AsMemory(at, n), cancellationToken);
                Interlocked.Add(ref sender.bytesSent, n);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
