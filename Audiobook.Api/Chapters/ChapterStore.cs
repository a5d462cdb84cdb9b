using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Books;
using Audiobook.Api.Quotas;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Chapters;

/// <summary>Chapters, number claims and pending uploads of a book, with the book's counters kept in step by transactions.</summary>
public sealed class ChapterStore(IAmazonDynamoDB db, IOptions<TableOptions> tables, BookStore books, UsageStore usage)
{
    public static readonly TimeSpan KeepUploadRecordsAfterExpiry = TimeSpan.FromDays(1);

    private string Table => tables.Value.AudioChapters;

    public Task PutUploadAsync(PendingUpload upload, CancellationToken ct) =>
        db.PutItemAsync(new PutItemRequest { TableName = Table, Item = ChapterItems.ToItem(upload, KeepUploadRecordsAfterExpiry) }, ct);

    public async Task<PendingUpload?> GetUploadAsync(string bookId, string uploadId, CancellationToken ct)
    {
        var item = await GetAsync(ChapterItems.UploadKey(bookId, uploadId), ct);
        return item is null ? null : ChapterItems.UploadFromItem(item);
    }

    /// <summary>
    /// Removes a pending upload's record unless a completion took it first (then false): an abort and a
    /// completion of one upload cannot both succeed, as the completion's transaction requires the record.
    /// </summary>
    public async Task<bool> TryAbortUploadAsync(string bookId, string uploadId, CancellationToken ct)
    {
        try
        {
            await db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = ChapterItems.UploadKey(bookId, uploadId), ConditionExpression = "attribute_exists(sk)" }, ct);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task DeleteUploadAsync(string bookId, string uploadId, CancellationToken ct) =>
        db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = ChapterItems.UploadKey(bookId, uploadId) }, ct);

    public async Task<Chapter?> GetChapterAsync(string bookId, string chapterId, CancellationToken ct)
    {
        var item = await GetAsync(ChapterItems.ChapterKey(bookId, chapterId), ct);
        return item is null ? null : ChapterItems.FromItem(item);
    }

    /// <summary>
    /// One page of a book's chapters in number order: the number claims (NUMBER#000001 …, sorted by the
    /// table) say which chapters, read in batches. A book of thousands of chapters costs a page, not all of them.
    /// </summary>
    /// <returns>The page, and the number to continue after when there is more.</returns>
    public async Task<(List<Chapter> Items, int? ContinueAfter)> ListAsync(string bookId, int limit, int? afterNumber, CancellationToken ct)
    {
        var claims = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "bookId = :book AND begins_with(sk, :prefix)",
            ExpressionAttributeValues = new() { [":book"] = new(bookId), [":prefix"] = new(ChapterItems.NumberPrefix) },
            ExclusiveStartKey = afterNumber is { } after ? ChapterItems.NumberKey(bookId, after) : null,
            Limit = limit + 1,
            ConsistentRead = true,
        }, ct);
        var claimed = (claims.Items ?? []).Take(limit).ToList();
        var page = claimed.Select(claim => claim["chapterId"].S).ToList();
        var chapters = new List<Chapter>(page.Count);
        foreach (var batch in page.Chunk(100))
        {
            var keys = batch.Select(id => ChapterItems.ChapterKey(bookId, id)).ToList();
            while (keys.Count > 0)
            {
                var read = await db.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = new() { [Table] = new KeysAndAttributes { Keys = keys, ConsistentRead = true } },
                }, ct);
                chapters.AddRange((read.Responses.GetValueOrDefault(Table) ?? []).Select(ChapterItems.FromItem));
                keys = read.UnprocessedKeys.GetValueOrDefault(Table)?.Keys ?? [];
            }
        }
        var more = (claims.Items?.Count ?? 0) > limit;
        return ([.. chapters.OrderBy(c => c.Number)], more ? int.Parse(claimed[^1]["sk"].S[ChapterItems.NumberPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// Turns a pending upload into a chapter numbered <see cref="Book.NextChapterNumber"/>: the chapter, its number
    /// claim, the book's counters and the upload's removal commit together or not at all. What
    /// <paramref name="fill"/> holds goes into the book's fields that have no value (never over one). The
    /// owner's usage takes the chapter's bytes from the upload's reservation (<paramref name="reserved"/>)
    /// in the same transaction.
    /// </summary>
    public Task<ChapterWrite> AddAsync(Book book, Chapter chapter, bool reserved, BookFill fill, DateTimeOffset now, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":duration"] = BookItems.Number(chapter.DurationSeconds ?? 0),
            [":next"] = BookItems.Number(chapter.Number + 1),
            [":size"] = BookItems.Number(chapter.SizeBytes),
        };
        var sets = new List<string>();
        var names = new Dictionary<string, string>();
        foreach (var (attribute, value) in fill.Attributes())
        {
            // By name placeholder: "language" is one of DynamoDB's reserved words.
            sets.Add($"#fill_{attribute} = if_not_exists(#fill_{attribute}, :fill_{attribute})");
            names[$"#fill_{attribute}"] = attribute;
            values[$":fill_{attribute}"] = new(value);
        }
        return TransactAsync(ct,
            new(new() { Put = new Put { TableName = Table, Item = ChapterItems.ToItem(chapter), ConditionExpression = "attribute_not_exists(sk)" } }, ChapterWrite.ChapterConflict),
            new(new() { Put = new Put { TableName = Table, Item = ClaimItem(book.Id, chapter.Number, chapter.Id), ConditionExpression = "attribute_not_exists(sk)" } }, ChapterWrite.NumberTaken),
            BookStep(BookUpdate(book, now, $"ADD chapterCount :one, totalDurationSeconds :duration, {BookItems.SizeBytesAttribute} :size", values, nextNumber: true, sets, names)),
            new(new() { Delete = new Delete { TableName = Table, Key = ChapterItems.UploadKey(book.Id, chapter.Id), ConditionExpression = "attribute_exists(sk)" } }, ChapterWrite.UploadGone),
            new(new() { Update = usage.UploadCompleted(book.OwnerId, chapter.Id, reserved, chapter.SizeBytes) }, ChapterWrite.UploadGone));
    }

    /// <summary>Moves a chapter to another number (unique within the book) and/or renames it.</summary>
    public Task<ChapterWrite> RenumberAsync(Book book, Chapter chapter, int number, string title, DateTimeOffset now, CancellationToken ct) =>
        TransactAsync(ct,
            new(new()
            {
                Update = new Update
                {
                    TableName = Table,
                    Key = ChapterItems.ChapterKey(book.Id, chapter.Id),
                    UpdateExpression = "SET #number = :number, title = :title",
                    ConditionExpression = "#number = :old",
                    ExpressionAttributeNames = new() { ["#number"] = "number" },
                    ExpressionAttributeValues = new() { [":number"] = BookItems.Number(number), [":old"] = BookItems.Number(chapter.Number), [":title"] = new(title) },
                }
            }, ChapterWrite.ChapterConflict),
            new(new() { Put = new Put { TableName = Table, Item = ClaimItem(book.Id, number, chapter.Id), ConditionExpression = "attribute_not_exists(sk)" } }, ChapterWrite.NumberTaken),
            new(new() { Delete = new Delete { TableName = Table, Key = ChapterItems.NumberKey(book.Id, chapter.Number) } }),
            BookStep(BookUpdate(book, now, null,
                new() { [":next"] = BookItems.Number(Math.Max(book.NextChapterNumber, number + 1)) },
                nextNumber: true)));

    public Task<ChapterWrite> RenameAsync(Book book, Chapter chapter, string title, DateTimeOffset now, CancellationToken ct) =>
        TransactAsync(ct,
            new(new()
            {
                Update = new Update
                {
                    TableName = Table,
                    Key = ChapterItems.ChapterKey(book.Id, chapter.Id),
                    UpdateExpression = "SET title = :title",
                    ConditionExpression = "attribute_exists(sk)",
                    ExpressionAttributeValues = new() { [":title"] = new(title) },
                }
            }, ChapterWrite.ChapterConflict),
            BookStep(BookUpdate(book, now, null, [], nextNumber: false)));

    public Task<ChapterWrite> DeleteAsync(Book book, Chapter chapter, DateTimeOffset now, CancellationToken ct) =>
        TransactAsync(ct,
            new(new() { Delete = new Delete { TableName = Table, Key = ChapterItems.ChapterKey(book.Id, chapter.Id), ConditionExpression = "attribute_exists(sk)" } }, ChapterWrite.ChapterConflict),
            new(new() { Delete = new Delete { TableName = Table, Key = ChapterItems.NumberKey(book.Id, chapter.Number) } }),
            BookStep(BookUpdate(book, now,
                $"ADD chapterCount :minusOne, totalDurationSeconds :minusDuration, {BookItems.SizeBytesAttribute} :minusSize",
                new()
                {
                    [":minusOne"] = BookItems.Number(-1),
                    [":minusDuration"] = BookItems.Number(-(chapter.DurationSeconds ?? 0)),
                    [":minusSize"] = BookItems.Number(-chapter.SizeBytes),
                },
                nextNumber: false)),
            new(new() { Update = usage.ChapterRemoved(book.OwnerId, chapter.SizeBytes) }));

    /// <summary>Removes every item of a book's partition; returns the object keys they referenced and the pending uploads among them.</summary>
    public async Task<(List<string> ObjectKeys, List<PendingUpload> Uploads)> DeleteAllAsync(string bookId, CancellationToken ct)
    {
        var items = await QueryPartitionAsync(bookId, null, ct);
        foreach (var batch in items.Chunk(25))
        {
            var pending = batch.Select(i => new WriteRequest { DeleteRequest = new DeleteRequest { Key = ChapterItems.Key(bookId, i["sk"].S) } }).ToList();
            // DynamoDB may leave part of a batch unprocessed (throttling): send what is left until none is.
            await WriteRetry.ExecuteAsync("delete the book's chapters", async token =>
            {
                var response = await db.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [Table] = pending } }, token);
                pending = response.UnprocessedItems?.GetValueOrDefault(Table) ?? [];
                return pending.Count == 0 ? true : throw WriteRetry.Again();
            }, ct);
        }
        return ([.. items.Where(i => i.ContainsKey("objectKey")).Select(i => i["objectKey"].S)],
            [.. items.Where(i => i["sk"].S.StartsWith(ChapterItems.UploadPrefix, StringComparison.Ordinal)).Select(ChapterItems.UploadFromItem)]);
    }

    /// <summary>One write of a transaction, and what it means when its condition is the one that failed (none: it has no condition).</summary>
    private sealed record Step(TransactWriteItem Item, ChapterWrite? WhenRefused = null);

    /// <summary>The book's update: refused when another writer changed the book since it was read.</summary>
    private static Step BookStep(Update update) => new(new() { Update = update }, ChapterWrite.BookChanged);

    private async Task<ChapterWrite> TransactAsync(CancellationToken ct, params Step[] steps)
    {
        try
        {
            await db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. steps.Select(s => s.Item)] }, ct);
            return ChapterWrite.Done;
        }
        catch (TransactionCanceledException ex) when (ex.CancellationReasons.Any(r => r.Code is "ConditionalCheckFailed" or "TransactionConflict"))
        {
            // DynamoDB answers one reason per item, in the order they were sent. A collision with another
            // transaction (no condition failed) is retried like a changed book.
            var refused = steps.Zip(ex.CancellationReasons).FirstOrDefault(pair => pair.Second.Code == "ConditionalCheckFailed").First;
            return refused?.WhenRefused ?? ChapterWrite.BookChanged;
        }
    }

    /// <summary>Every change to a book's chapters bumps its version (its ETag) and is conditional on the state read.</summary>
    private Update BookUpdate(
        Book book, DateTimeOffset now, string? extra, Dictionary<string, AttributeValue> values, bool nextNumber, IEnumerable<string>? sets = null, Dictionary<string, string>? names = null)
    {
        values[":one"] = BookItems.Number(1);
        values[":now"] = new(now.ToString("O"));
        values[":read"] = BookItems.Number(book.NextChapterNumber);
        var set = "SET version = version + :one, updatedAt = :now" + (nextNumber ? ", nextChapterNumber = :next" : "")
            + string.Concat((sets ?? []).Select(s => ", " + s));
        return new Update
        {
            TableName = books.Table,
            Key = BookItems.Key(book.OwnerId, book.Id),
            UpdateExpression = set + (extra is null ? "" : " " + extra),
            ConditionExpression = "nextChapterNumber = :read",
            ExpressionAttributeValues = values,
            ExpressionAttributeNames = names is { Count: > 0 } ? names : null,
        };
    }

    private static Dictionary<string, AttributeValue> ClaimItem(string bookId, int number, string chapterId)
    {
        var item = ChapterItems.NumberKey(bookId, number);
        item["chapterId"] = new(chapterId);
        return item;
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = key, ConsistentRead = true }, ct);
        return response.IsItemSet ? response.Item : null;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryPartitionAsync(string bookId, string? prefix, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await db.QueryAsync(new QueryRequest
            {
                TableName = Table,
                KeyConditionExpression = prefix is null ? "bookId = :book" : "bookId = :book AND begins_with(sk, :prefix)",
                ExpressionAttributeValues = prefix is null
                    ? new() { [":book"] = new(bookId) }
                    : new() { [":book"] = new(bookId), [":prefix"] = new(prefix) },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            }, ct);
            items.AddRange(response.Items ?? []);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }
}
