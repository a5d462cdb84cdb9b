using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Audiobook.Api.Books;

/// <summary>How a book is laid out in the Books table (partition: owner, sort: book id).</summary>
public static class BookItems
{
    public static Dictionary<string, AttributeValue> Key(string ownerId, string bookId) =>
        new() { ["ownerId"] = new(ownerId), ["bookId"] = new(bookId) };

    public static Dictionary<string, AttributeValue> ToItem(Book book)
    {
        var item = Key(book.OwnerId, book.Id);
        item["title"] = new(book.Title);
        item["author"] = new(book.Author);
        AddOptional(item, "narrator", book.Narrator);
        AddOptional(item, "description", book.Description);
        AddOptional(item, "language", book.Language);
        item["chapterCount"] = Number(book.ChapterCount);
        item["totalDurationSeconds"] = Number(book.TotalDurationSeconds);
        item["nextChapterNumber"] = Number(book.NextChapterNumber);
        item["version"] = Number(book.Version);
        item["createdAt"] = new(book.CreatedAt.ToString("O"));
        item["updatedAt"] = new(book.UpdatedAt.ToString("O"));
        if (book.Cover is { } cover)
        {
            item[CoverKey] = new(cover.ObjectKey);
            item[CoverType] = new(cover.ContentType);
        }
        return item;
    }

    /// <summary>The attributes of a book's cover (set and removed together).</summary>
    public const string CoverKey = "coverKey";

    public const string CoverType = "coverType";

    public static Book FromItem(Dictionary<string, AttributeValue> item) => new Book(
        item["ownerId"].S,
        item["bookId"].S,
        item["title"].S,
        item["author"].S,
        item.TryGetValue("narrator", out var narrator) ? narrator.S : null,
        item.TryGetValue("description", out var description) ? description.S : null,
        item.TryGetValue("language", out var language) ? language.S : null,
        int.Parse(item["chapterCount"].N, CultureInfo.InvariantCulture),
        double.Parse(item["totalDurationSeconds"].N, CultureInfo.InvariantCulture),
        int.Parse(item["nextChapterNumber"].N, CultureInfo.InvariantCulture),
        long.Parse(item["version"].N, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(item["createdAt"].S, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(item["updatedAt"].S, CultureInfo.InvariantCulture))
    {
        Cover = CoverFromItem(item),
        SizeBytes = item.TryGetValue(SizeBytesAttribute, out var size) ? long.Parse(size.N, CultureInfo.InvariantCulture) : 0,
    };

    /// <summary>The sum of the book's chapters' sizes, kept by the transactions that add and delete them.</summary>
    public const string SizeBytesAttribute = "sizeBytes";

    public static BookCover? CoverFromItem(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(CoverKey, out var key) && item.TryGetValue(CoverType, out var type) ? new BookCover(key.S, type.S) : null;

    public static AttributeValue Number(double value) => new() { N = value.ToString("0.###", CultureInfo.InvariantCulture) };

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static void AddOptional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = new(value);
        }
    }
}
