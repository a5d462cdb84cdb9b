using Amazon.S3;
using Amazon.S3.Model;
using Audiobook.Api.Media;
using Audiobook.Api.Uploads;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Storage;

/// <summary>The private audio bucket. Keys are built from ids only: no user text can reach a key.</summary>
public sealed class AudioStore(
    IAmazonS3 s3, [FromKeyedServices(AudioStore.AssemblyClient)] IAmazonS3 assembly, IOptions<StorageOptions> options, ILogger<AudioStore> logger)
{
    /// <summary>The S3 client of multipart completions (<see cref="StorageOptions.AssemblyTimeout"/>).</summary>
    public const string AssemblyClient = "assembly";

    private string Bucket => options.Value.BucketName;

    /// <summary>books/{bookId}/chapters/{chapterId}.m4a — ids are validated hex, the extension is from an allow-list.</summary>
    public static string ChapterKey(string bookId, string chapterId, string extension) =>
        $"books/{bookId}/chapters/{chapterId}{extension}";

    /// <summary>books/{bookId}/covers/{id}.jpg or .png — a new key for every cover, so a replaced one is never served from a cache.</summary>
    public static string CoverKey(string bookId, string id, string contentType) =>
        $"books/{bookId}/covers/{id}{ImageFormats.Extension(contentType)}";

    /// <summary>The tag an uploaded object carries until its upload is completed; the bucket's
    /// lifecycle rule "abandoned-uploads" (aws/data.yaml) expires objects that still carry it.</summary>
    public const string PendingTag = PendingTagKey + "=" + PendingTagValue;

    private const string PendingTagKey = "audiobook-upload";

    private const string PendingTagValue = "pending";

    /// <summary>
    /// A URL the client PUTs the bytes to, and the headers it must send (all signed): the Content-Type,
    /// the pending tag, and <c>If-None-Match: *</c>, so the object can be written once only — a
    /// completed chapter can never be overwritten with bytes nobody inspected. The declared size is
    /// signed too (<c>Content-Length</c>, which every HTTP client sets from the body and a browser
    /// may not set itself, so it is not among the headers returned): storage refuses any other size.
    /// </summary>
    public (string Url, Dictionary<string, string> Headers) PresignUpload(string key, string contentType, long sizeBytes, DateTimeOffset expiresAt)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            ContentType = contentType,
            Expires = expiresAt.UtcDateTime,
            Protocol = Protocol,
        };
        request.Headers.ContentLength = sizeBytes;
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = contentType,
            ["x-amz-tagging"] = PendingTag,
            ["If-None-Match"] = "*",
        };
        foreach (var (name, value) in headers.Where(h => h.Key != "Content-Type"))
        {
            request.Headers[name] = value;
        }
        return (s3.GetPreSignedURL(request), headers);
    }

    /// <summary>
    /// Starts an S3 multipart upload whose object will carry the pending tag and the Content-Type. Only
    /// the API can complete it, from the parts storage lists; the client is given part URLs only.
    /// </summary>
    public async Task<string> StartMultipartAsync(string key, string contentType, CancellationToken ct)
    {
        var started = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            ContentType = contentType,
            TagSet = [new Tag { Key = PendingTagKey, Value = PendingTagValue }],
        }, ct);
        return started.UploadId;
    }

    /// <summary>A URL the client PUTs one part to. Its size is signed (<c>Content-Length</c>): storage refuses any other.</summary>
    public string PresignPart(string key, string storageUploadId, int partNumber, long sizeBytes, DateTimeOffset expiresAt)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            UploadId = storageUploadId,
            PartNumber = partNumber,
            Expires = expiresAt.UtcDateTime,
            Protocol = Protocol,
        };
        request.Headers.ContentLength = sizeBytes;
        return s3.GetPreSignedURL(request);
    }

    /// <summary>The parts storage holds for a multipart upload, in order, or null when S3 knows no such upload (completed or aborted).</summary>
    public async Task<IReadOnlyList<StoredPart>?> ListPartsAsync(string key, string storageUploadId, CancellationToken ct)
    {
        var parts = new List<StoredPart>();
        try
        {
            var request = new ListPartsRequest { BucketName = Bucket, Key = key, UploadId = storageUploadId, MaxParts = 1000 };
            while (true)
            {
                var page = await s3.ListPartsAsync(request, ct);
                parts.AddRange((page.Parts ?? []).Select(p => new StoredPart(p.PartNumber ?? 0, p.Size ?? 0, p.ETag)));
                if (page.IsTruncated != true)
                {
                    return parts;
                }
                request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload")
        {
            return null;
        }
    }

    /// <summary>Makes the parts one object; false when S3 knows no such upload any more (a concurrent completion, or an abort).</summary>
    public async Task<bool> CompleteMultipartAsync(string key, string storageUploadId, IEnumerable<StoredPart> parts, CancellationToken ct)
    {
        try
        {
            await assembly.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = storageUploadId,
                PartETags = [.. parts.Select(p => new PartETag(p.PartNumber, p.ETag))],
            }, ct);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload")
        {
            return false;
        }
    }

    /// <summary>Discards a multipart upload's parts; one S3 no longer knows is already gone.</summary>
    public async Task AbortMultipartAsync(string key, string storageUploadId, CancellationToken ct)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = storageUploadId }, ct);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload")
        {
            logger.LogInformation("Multipart upload of {Key} was already gone when aborted", key);
        }
    }

    /// <summary>Removes the pending tag: the object is a chapter's now and the lifecycle rule leaves it alone.</summary>
    public Task KeepAsync(string key, CancellationToken ct) =>
        s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = Bucket, Key = key }, ct);

    public string PresignDownload(string key, DateTimeOffset expiresAt, ResponseHeaderOverrides overrides) =>
        s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expiresAt.UtcDateTime,
            Protocol = Protocol,
            ResponseHeaderOverrides = overrides,
        });

    /// <summary>
    /// The stored object's size, or null when nothing is stored under the key. S3 answers a HEAD of a
    /// missing object with 403, not 404, to a caller without s3:ListBucket — the API's role, which may
    /// read only its own objects (aws/service.yaml) — so a 403 here means "not there" too.
    /// </summary>
    public async Task<long?> SizeAsync(string key, CancellationToken ct)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(Bucket, key, ct);
            return head.ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            logger.LogInformation("HEAD of {Key} answered 403: taken as not uploaded (S3's answer for a missing object without s3:ListBucket)", key);
            return null;
        }
    }

    public IByteSource OpenRanged(string key, long length) => new S3ObjectByteSource(s3, Bucket, key, length);

    /// <summary>The first bytes of an object (at most <paramref name="count"/>).</summary>
    public async Task<byte[]> ReadStartAsync(string key, long length, int count, CancellationToken ct)
    {
        var buffer = new byte[(int)Math.Min(count, length)];
        var read = await OpenRanged(key, length).ReadAsync(0, buffer, ct);
        return buffer[..read];
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes at <paramref name="offset"/> of one object into a new object
    /// (a file's embedded cover into a cover of its own): one ranged GET, one PUT. S3 copies only whole objects.
    /// </summary>
    public async Task CopyRangeAsync(string sourceKey, long offset, int length, string targetKey, string contentType, CancellationToken ct)
    {
        var bytes = new byte[length];
        var source = OpenRanged(sourceKey, offset + length);
        for (var read = 0; read < length;)
        {
            var n = await source.ReadAsync(offset + read, bytes.AsMemory(read), ct);
            if (n == 0)
            {
                throw new EndOfStreamException($"{sourceKey} ended before {offset + length} bytes.");
            }
            read += n;
        }
        using var body = new MemoryStream(bytes, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = targetKey,
            InputStream = body,
            ContentType = contentType,
            AutoCloseStream = false,
        }, ct);
    }

    public Task DeleteAsync(string key, CancellationToken ct) => DeleteManyAsync([key], ct);

    /// <summary>Deletes objects; a failure is logged, not thrown, because the records are already gone.</summary>
    public async Task DeleteManyAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            try
            {
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Bucket,
                    Objects = [.. batch.Select(k => new KeyVersion { Key = k })],
                    Quiet = true,
                }, ct);
            }
            catch (Exception ex) when (ex is AmazonS3Exception or HttpRequestException)
            {
                logger.LogError(ex, "Could not delete {Count} audio objects; they are left for the orphan sweep", batch.Length);
            }
        }
    }

    /// <summary>Presigned URLs use the endpoint's scheme (an emulator speaks plain HTTP; AWS, HTTPS).</summary>
    private Protocol Protocol =>
        s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
}
