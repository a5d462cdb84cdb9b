using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Books;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Quotas;

/// <summary>
/// Each account's usage, one item in the Users table (USAGE#owner), kept by the same writes that change
/// it: a book's creation and deletion count it in their transactions, a chapter adds its bytes in its
/// completion's and takes them back in its deletion's. An upload reserves its declared size and a place
/// among the open uploads when it is created, as one conditional update, so concurrent requests cannot
/// pass a limit together; the reservation (attribute upload_{id}) becomes stored bytes at completion, or
/// is released at abort, rejection, or — for one nobody completes — once its record has expired.
/// </summary>
public sealed class UsageStore(IAmazonDynamoDB db, IOptions<TableOptions> tables, IOptions<QuotaOptions> options, TimeProvider time, ILogger<UsageStore> logger)
{
    private const string EntryPrefix = "upload_";

    private string Table => tables.Value.Users;

    public AccountLimits Limits => new(options.Value.MaxBooks, options.Value.MaxStoredBytes, options.Value.MaxOpenUploads);

    public async Task<AccountUsage> GetAsync(string ownerId, CancellationToken ct)
    {
        var item = await ReadAsync(ownerId, ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var entries = Entries(item).ToList();
        var live = entries.Where(e => e.ExpiresAtEpoch > now).ToList();
        // "bytes" counts every reservation until it is released, expired or not.
        return new AccountUsage(Number(item, "books"), Number(item, "bytes") - entries.Sum(e => e.Bytes), live.Sum(e => e.Bytes), live.Count);
    }

    /// <summary>The update that counts a new book, refused at the limit: one step of the book's creation.</summary>
    public Update BookAdded(string ownerId) => new()
    {
        TableName = Table,
        Key = Key(ownerId),
        UpdateExpression = "ADD books :one",
        ConditionExpression = "attribute_not_exists(books) OR books < :max",
        ExpressionAttributeValues = new() { [":one"] = Number(1), [":max"] = Number(options.Value.MaxBooks) },
    };

    /// <summary>The update that forgets a deleted book and its chapters' bytes.</summary>
    public Update BookRemoved(string ownerId, long chapterBytes) => new()
    {
        TableName = Table,
        Key = Key(ownerId),
        UpdateExpression = "ADD books :minusOne, bytes :minusBytes",
        ExpressionAttributeValues = new() { [":minusOne"] = Number(-1), [":minusBytes"] = Number(-chapterBytes) },
    };

    /// <summary>
    /// The update that makes an upload's reservation stored bytes (it must still be there), or, for an
    /// upload from before reservations, adds its bytes.
    /// </summary>
    public Update UploadCompleted(string ownerId, string uploadId, bool reserved, long bytes) => reserved
        ? new()
        {
            TableName = Table,
            Key = Key(ownerId),
            UpdateExpression = "REMOVE #entry ADD uploads :minusOne",
            ConditionExpression = "attribute_exists(#entry)",
            ExpressionAttributeNames = new() { ["#entry"] = EntryPrefix + uploadId },
            ExpressionAttributeValues = new() { [":minusOne"] = Number(-1) },
        }
        : new()
        {
            TableName = Table,
            Key = Key(ownerId),
            UpdateExpression = "ADD bytes :bytes",
            ExpressionAttributeValues = new() { [":bytes"] = Number(bytes) },
        };

    /// <summary>The update that takes a deleted chapter's bytes back.</summary>
    public Update ChapterRemoved(string ownerId, long bytes) => new()
    {
        TableName = Table,
        Key = Key(ownerId),
        UpdateExpression = "ADD bytes :minusBytes",
        ExpressionAttributeValues = new() { [":minusBytes"] = Number(-bytes) },
    };

    /// <summary>
    /// Reserves an upload's declared bytes and a place among the open uploads until <paramref name="until"/>
    /// (when its record expires), or says which limit it would pass. Reservations past their time are
    /// released first when a limit is reached, so an abandoned upload holds its place only until then.
    /// </summary>
    public async Task<QuotaRefusal?> ReserveUploadAsync(string ownerId, string uploadId, long bytes, DateTimeOffset until, CancellationToken ct)
    {
        var limits = Limits;
        if (bytes > limits.StoredBytes)
        {
            return await RefuseBytesAsync(ownerId, bytes, ct);
        }
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = Table,
                    Key = Key(ownerId),
                    UpdateExpression = "SET #entry = :entry ADD uploads :one, bytes :bytes",
                    ConditionExpression = "(attribute_not_exists(uploads) OR uploads < :maxUploads) AND (attribute_not_exists(bytes) OR bytes <= :room) AND attribute_not_exists(#entry)",
                    ExpressionAttributeNames = new() { ["#entry"] = EntryPrefix + uploadId },
                    ExpressionAttributeValues = new()
                    {
                        [":entry"] = new() { M = new() { ["b"] = Number(bytes), ["e"] = Number(until.ToUnixTimeSeconds()) } },
                        [":one"] = Number(1),
                        [":bytes"] = Number(bytes),
                        [":maxUploads"] = Number(limits.OpenUploads),
                        [":room"] = Number(limits.StoredBytes - bytes),
                    },
                }, ct);
                return null;
            }
            catch (ConditionalCheckFailedException) when (attempt == 0)
            {
                await ReleaseExpiredAsync(ownerId, ct);
            }
            catch (ConditionalCheckFailedException)
            {
                var usage = await GetAsync(ownerId, ct);
                return usage.OpenUploads >= limits.OpenUploads
                    ? new QuotaRefusal("openUploads", limits.OpenUploads, usage.OpenUploads,
                        $"This account may have at most {limits.OpenUploads} uploads open at once and has {usage.OpenUploads}. Complete or abort one first.")
                    : await RefuseBytesAsync(ownerId, bytes, ct);
            }
        }
    }

    /// <summary>Gives an upload's reservation back (abort, rejection, or its book deleted); nothing when it holds none.</summary>
    public async Task ReleaseUploadAsync(string ownerId, string uploadId, long bytes, CancellationToken ct)
    {
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = Key(ownerId),
                UpdateExpression = "REMOVE #entry ADD uploads :minusOne, bytes :minusBytes",
                ConditionExpression = "attribute_exists(#entry)",
                ExpressionAttributeNames = new() { ["#entry"] = EntryPrefix + uploadId },
                ExpressionAttributeValues = new() { [":minusOne"] = Number(-1), [":minusBytes"] = Number(-bytes) },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // Released already (a concurrent abort), or completed: nothing is held.
        }
    }

    /// <summary>The refusal of a book past the limit, with the usage as it is now.</summary>
    public async Task<QuotaRefusal> RefuseBookAsync(string ownerId, CancellationToken ct)
    {
        var usage = await GetAsync(ownerId, ct);
        var max = options.Value.MaxBooks;
        return new QuotaRefusal("books", max, usage.Books, $"This account may have at most {max} books and has {usage.Books}. Delete one first.");
    }

    private async Task<QuotaRefusal> RefuseBytesAsync(string ownerId, long bytes, CancellationToken ct)
    {
        var usage = await GetAsync(ownerId, ct);
        var max = options.Value.MaxStoredBytes;
        var used = usage.StoredBytes + usage.UploadingBytes;
        return new QuotaRefusal("storedBytes", max, used,
            $"This account may store at most {max} bytes of audio; it holds {usage.StoredBytes} and its open uploads declare {usage.UploadingBytes}, " +
            $"so this upload of {bytes} bytes does not fit. Delete chapters or abort uploads first.");
    }

    private async Task ReleaseExpiredAsync(string ownerId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var entry in Entries(await ReadAsync(ownerId, ct)).Where(e => e.ExpiresAtEpoch <= now))
        {
            logger.LogInformation("Upload {UploadId} of {OwnerId} expired uncompleted: its reservation of {Bytes} bytes is released", entry.UploadId, ownerId, entry.Bytes);
            await ReleaseUploadAsync(ownerId, entry.UploadId, entry.Bytes, ct);
        }
    }

    private async Task<Dictionary<string, AttributeValue>> ReadAsync(string ownerId, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(ownerId), ConsistentRead = true }, ct);
        return response.IsItemSet ? response.Item : [];
    }

    private sealed record Entry(string UploadId, long Bytes, long ExpiresAtEpoch);

    private static IEnumerable<Entry> Entries(Dictionary<string, AttributeValue> item) =>
        item.Where(a => a.Key.StartsWith(EntryPrefix, StringComparison.Ordinal) && a.Value.M is { Count: > 0 })
            .Select(a => new Entry(a.Key[EntryPrefix.Length..], Number(a.Value.M, "b"), Number(a.Value.M, "e")));

    private static long Number(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;

    private static Dictionary<string, AttributeValue> Key(string ownerId) => new() { ["pk"] = new("USAGE#" + ownerId) };

    private static AttributeValue Number(long value) => BookItems.Number(value);
}
