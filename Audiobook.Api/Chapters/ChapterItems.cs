using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Books;
using Audiobook.Api.Http;
using Audiobook.Api.Media;
using Audiobook.Api.Uploads;

namespace Audiobook.Api.Chapters;

/// <summary>
/// How a book's chapters live in the AudioChapters table: one partition per book, with
/// CHAPTER#id items, NUMBER#n claims (one per used number, so numbers are unique) and UPLOAD#id items.
/// A chapter's markers are one JSON string (bounded by <see cref="MarkerList.MaxStoredBytes"/>), its tags a map.
/// </summary>
public static class ChapterItems
{
    public const string ChapterPrefix = "CHAPTER#";
    public const string UploadPrefix = "UPLOAD#";
    public const string NumberPrefix = "NUMBER#";

    public static Dictionary<string, AttributeValue> Key(string bookId, string sk) =>
        new() { ["bookId"] = new(bookId), ["sk"] = new(sk) };

    public static Dictionary<string, AttributeValue> ChapterKey(string bookId, string chapterId) => Key(bookId, ChapterPrefix + chapterId);

    public static Dictionary<string, AttributeValue> UploadKey(string bookId, string uploadId) => Key(bookId, UploadPrefix + uploadId);

    public static Dictionary<string, AttributeValue> NumberKey(string bookId, int number) =>
        Key(bookId, NumberPrefix + number.ToString("D6", CultureInfo.InvariantCulture));

    public static Dictionary<string, AttributeValue> ToItem(Chapter chapter)
    {
        var item = ChapterKey(chapter.BookId, chapter.Id);
        item["chapterId"] = new(chapter.Id);
        item["number"] = BookItems.Number(chapter.Number);
        item["title"] = new(chapter.Title);
        item["fileName"] = new(chapter.FileName);
        item["contentType"] = new(chapter.ContentType);
        item["sizeBytes"] = BookItems.Number(chapter.SizeBytes);
        if (chapter.DurationSeconds is { } duration)
        {
            item["durationSeconds"] = BookItems.Number(duration);
        }
        item["objectKey"] = new(chapter.ObjectKey);
        item["createdAt"] = new(chapter.CreatedAt.ToString("O"));
        if (chapter.Markers.Count > 0)
        {
            item["markers"] = new(JsonSerializer.Serialize(chapter.Markers, AppJsonContext.Default.IReadOnlyListChapterMarker));
            item["markerSource"] = new(chapter.MarkerSource);
        }
        var tags = TagsToMap(chapter.Tags);
        if (tags.Count > 0)
        {
            item["tags"] = new AttributeValue { M = tags };
        }
        return item;
    }

    public static Chapter FromItem(Dictionary<string, AttributeValue> item) => new Chapter(
        item["bookId"].S,
        item["chapterId"].S,
        int.Parse(item["number"].N, CultureInfo.InvariantCulture),
        item["title"].S,
        item["fileName"].S,
        item["contentType"].S,
        long.Parse(item["sizeBytes"].N, CultureInfo.InvariantCulture),
        item.TryGetValue("durationSeconds", out var d) ? double.Parse(d.N, CultureInfo.InvariantCulture) : null,
        item["objectKey"].S,
        DateTimeOffset.Parse(item["createdAt"].S, CultureInfo.InvariantCulture))
    {
        Markers = item.TryGetValue("markers", out var markers)
            ? JsonSerializer.Deserialize(markers.S, AppJsonContext.Default.IReadOnlyListChapterMarker) ?? []
            : [],
        MarkerSource = item.TryGetValue("markerSource", out var source) ? source.S : null,
        Tags = item.TryGetValue("tags", out var tags) ? TagsFromMap(tags.M) : Mp4Tags.None,
    };

    private static Dictionary<string, AttributeValue> TagsToMap(Mp4Tags tags)
    {
        var map = new Dictionary<string, AttributeValue>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                map[name] = new(value);
            }
        }
        Add("title", tags.Title);
        Add("artist", tags.Artist);
        Add("albumArtist", tags.AlbumArtist);
        Add("album", tags.Album);
        Add("narrator", tags.Narrator);
        Add("year", tags.Year);
        Add("genre", tags.Genre);
        Add("description", tags.Description);
        Add("comment", tags.Comment);
        return map;
    }

    private static Mp4Tags TagsFromMap(Dictionary<string, AttributeValue> map)
    {
        string? Get(string name) => map.TryGetValue(name, out var value) ? value.S : null;
        return new Mp4Tags(Get("title"), Get("artist"), Get("albumArtist"), Get("album"), Get("narrator"), Get("year"), Get("genre"),
            Get("description"), Get("comment"));
    }

    /// <summary>A book's one pending cover upload: a new one replaces it.</summary>
    public const string CoverUploadSk = "COVERUPLOAD";

    public static Dictionary<string, AttributeValue> ToItem(PendingUpload upload, TimeSpan keepAfterExpiry, string? sk = null)
    {
        var item = sk is null ? UploadKey(upload.BookId, upload.Id) : Key(upload.BookId, sk);
        item["uploadId"] = new(upload.Id);
        item["fileName"] = new(upload.FileName);
        item["contentType"] = new(upload.ContentType);
        item["sizeBytes"] = BookItems.Number(upload.SizeBytes);
        if (upload.Title is not null)
        {
            item["title"] = new(upload.Title);
        }
        item["objectKey"] = new(upload.ObjectKey);
        if (upload.Multipart is { } multipart)
        {
            item["multipartId"] = new(multipart.StorageUploadId);
            item["partSizeBytes"] = BookItems.Number(multipart.Plan.PartSizeBytes);
        }
        if (upload.Reserved)
        {
            item["reserved"] = new() { BOOL = true };
        }
        item["createdAt"] = new(upload.CreatedAt.ToString("O"));
        item["expiresAt"] = new(upload.ExpiresAt.ToString("O"));
        // DynamoDB's TTL removes forgotten uploads' records (the table's TimeToLiveSpecification).
        item["expiresAtEpoch"] = BookItems.Number((upload.ExpiresAt + keepAfterExpiry).ToUnixTimeSeconds());
        return item;
    }

    public static PendingUpload UploadFromItem(Dictionary<string, AttributeValue> item)
    {
        var size = long.Parse(item["sizeBytes"].N, CultureInfo.InvariantCulture);
        return new(
            item["bookId"].S,
            item["uploadId"].S,
            item["fileName"].S,
            item["contentType"].S,
            size,
            item.TryGetValue("title", out var title) ? title.S : null,
            item["objectKey"].S,
            DateTimeOffset.Parse(item["createdAt"].S, CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(item["expiresAt"].S, CultureInfo.InvariantCulture))
        {
            Multipart = item.TryGetValue("multipartId", out var multipartId)
                ? new MultipartUpload(multipartId.S, new MultipartPlan(size, long.Parse(item["partSizeBytes"].N, CultureInfo.InvariantCulture)))
                : null,
            Reserved = item.TryGetValue("reserved", out var reserved) && reserved.BOOL == true,
        };
    }
}
