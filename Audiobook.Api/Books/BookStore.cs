using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Quotas;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Books;

/// <summary>Books in DynamoDB: one partition per owner, so every read is scoped to its owner by key.</summary>
public sealed class BookStore(IAmazonDynamoDB db, IOptions<TableOptions> tables, UsageStore usage)
{
    public string Table => tables.Value.Books;

    /// <summary>Creates the book and counts it in its owner's usage, together; false (nothing written) when the owner has as many books as allowed.</summary>
    public async Task<bool> CreateAsync(Book book, CancellationToken ct)
    {
        try
        {
            await db.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new() { Put = new Put { TableName = Table, Item = BookItems.ToItem(book), ConditionExpression = "attribute_not_exists(bookId)" } },
                    new() { Update = usage.BookAdded(book.OwnerId) },
                ],
            }, ct);
            return true;
        }
        catch (TransactionCanceledException ex) when (ex.CancellationReasons is [_, { Code: "ConditionalCheckFailed" }])
        {
            return false;
        }
    }

    /// <summary>
    /// Creates the book, counts it, and remembers the idempotency key (Users table, IDEMPOTENCY#owner#key, TTL)
    /// in one transaction. When the key was already used, nothing is written and the first use is returned;
    /// at the owner's limit of books, nothing is written and BookId is null.
    /// </summary>
    public async Task<(bool Created, string? BookId, string Fingerprint)> CreateOnceAsync(Book book, string key, string fingerprint, DateTimeOffset now, CancellationToken ct)
    {
        var marker = new Dictionary<string, AttributeValue> { ["pk"] = new($"IDEMPOTENCY#{book.OwnerId}#{key}") };
        // Two retries of the same request racing in DynamoDB collide: one wins, the other sees its marker next time.
        return await WriteRetry.ExecuteAsync<(bool, string?, string)>("create the book", async token =>
        {
            try
            {
                await db.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        new() { Put = new Put { TableName = Table, Item = BookItems.ToItem(book), ConditionExpression = "attribute_not_exists(bookId)" } },
                        new() { Put = new Put
                        {
                            TableName = tables.Value.Users,
                            Item = new(marker)
                            {
                                ["bookId"] = new(book.Id),
                                ["fingerprint"] = new(fingerprint),
                                ["expiresAtEpoch"] = BookItems.Number((now + IdempotencyKey.Lifetime).ToUnixTimeSeconds()),
                            },
                            ConditionExpression = "attribute_not_exists(pk)",
                        } },
                        new() { Update = usage.BookAdded(book.OwnerId) },
                    ],
                }, token);
                return (true, book.Id, fingerprint);
            }
            catch (TransactionCanceledException ex) when (ex.CancellationReasons is [_, { Code: "ConditionalCheckFailed" }, _])
            {
                // The key's first use wins over the limit: a retry gets the book the first request made.
                var first = await db.GetItemAsync(new GetItemRequest { TableName = tables.Value.Users, Key = marker, ConsistentRead = true }, token);
                return (false, first.Item["bookId"].S, first.Item["fingerprint"].S);
            }
            catch (TransactionCanceledException ex) when (ex.CancellationReasons is [_, _, { Code: "ConditionalCheckFailed" }])
            {
                return (false, null, fingerprint);
            }
        }, ct);
    }

    public async Task<Book?> GetAsync(string ownerId, string bookId, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = BookItems.Key(ownerId, bookId), ConsistentRead = true }, ct);
        return response.IsItemSet ? BookItems.FromItem(response.Item) : null;
    }

    /// <summary>Newest first. Reads one item more than asked to know, exactly, whether another page exists.</summary>
    public async Task<(List<Book> Items, bool HasMore)> ListAsync(string ownerId, int limit, string? startAfterBookId, CancellationToken ct)
    {
        var response = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "ownerId = :owner",
            ExpressionAttributeValues = new() { [":owner"] = new(ownerId) },
            ScanIndexForward = false,
            Limit = limit + 1,
            ExclusiveStartKey = startAfterBookId is null ? null : BookItems.Key(ownerId, startAfterBookId),
        }, ct);
        var books = (response.Items ?? []).Select(BookItems.FromItem).ToList();
        return books.Count > limit ? (books[..limit], true) : (books, false);
    }

    /// <summary>
    /// Sets the given descriptive fields (null: unchanged, "": removed) and bumps the version.
    /// Returns the new state, or null when the book is gone or its version is no longer <paramref name="ifVersion"/>.
    /// Counters (chapters, duration) are never rewritten here, so concurrent completes are not lost.
    /// </summary>
    public async Task<Book?> UpdateDetailsAsync(
        string ownerId, string bookId, IReadOnlyDictionary<string, string?> fields, long? ifVersion, DateTimeOffset now, CancellationToken ct)
    {
        var names = new Dictionary<string, string>();
        var values = new Dictionary<string, AttributeValue>
        {
            [":one"] = BookItems.Number(1),
            [":now"] = new(now.ToString("O")),
        };
        var sets = new List<string> { "version = version + :one", "updatedAt = :now" };
        var removes = new List<string>();
        foreach (var (field, value) in fields)
        {
            names["#" + field] = field;
            if (value is null)
            {
                removes.Add("#" + field);
            }
            else
            {
                values[":" + field] = new(value);
                sets.Add($"#{field} = :{field}");
            }
        }
        var condition = "attribute_exists(bookId)";
        if (ifVersion is { } expected)
        {
            condition += " AND version = :expected";
            values[":expected"] = BookItems.Number(expected);
        }
        try
        {
            var response = await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = BookItems.Key(ownerId, bookId),
                UpdateExpression = "SET " + string.Join(", ", sets) + (removes.Count > 0 ? " REMOVE " + string.Join(", ", removes) : ""),
                ConditionExpression = condition,
                ExpressionAttributeNames = names.Count > 0 ? names : null,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, ct);
            return BookItems.FromItem(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the book record and takes it and its chapters' bytes out of its owner's usage, together;
    /// returns what it was (its cover is the caller's to delete), or null when there was none. A book
    /// changed meanwhile (a chapter completed) is read again, so the bytes given back are its own.
    /// </summary>
    public async Task<Book?> DeleteAsync(string ownerId, string bookId, CancellationToken ct) =>
        await WriteRetry.ExecuteAsync<Book?>("delete the book", async token =>
        {
            if (await GetAsync(ownerId, bookId, token) is not { } book)
            {
                return null;
            }
            try
            {
                await db.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        new() { Delete = new Delete
                        {
                            TableName = Table,
                            Key = BookItems.Key(ownerId, bookId),
                            ConditionExpression = "version = :read",
                            ExpressionAttributeValues = new() { [":read"] = BookItems.Number(book.Version) },
                        } },
                        new() { Update = usage.BookRemoved(ownerId, book.SizeBytes) },
                    ],
                }, token);
                return book;
            }
            catch (TransactionCanceledException ex) when (ex.CancellationReasons.Any(r => r.Code is "ConditionalCheckFailed" or "TransactionConflict"))
            {
                throw WriteRetry.Again();
            }
        }, ct);

    /// <summary>
    /// Sets (or, with null, removes) the book's cover and bumps its version. Returns the book as it is
    /// now and the cover it had before (the caller deletes that object), or null when the book is gone.
    /// </summary>
    public async Task<(Book Book, BookCover? Previous)?> SetCoverAsync(string ownerId, string bookId, BookCover? cover, DateTimeOffset now, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue> { [":one"] = BookItems.Number(1), [":now"] = new(now.ToString("O")) };
        var update = "SET version = version + :one, updatedAt = :now";
        if (cover is null)
        {
            update += $" REMOVE {BookItems.CoverKey}, {BookItems.CoverType}";
        }
        else
        {
            update += $", {BookItems.CoverKey} = :key, {BookItems.CoverType} = :type";
            values[":key"] = new(cover.ObjectKey);
            values[":type"] = new(cover.ContentType);
        }
        try
        {
            var response = await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = BookItems.Key(ownerId, bookId),
                UpdateExpression = update,
                ConditionExpression = "attribute_exists(bookId)",
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_OLD,
            }, ct);
            var before = BookItems.FromItem(response.Attributes);
            var after = before with { Version = before.Version + 1, UpdatedAt = now, Cover = cover };
            return (after, before.Cover);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }
}
