using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Books;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Progress;

/// <summary>
/// Where each user is in each book. Writes are conditional on clientUpdatedAt, so a late, older
/// update from another device never overwrites a newer position.
/// </summary>
public sealed class ProgressStore(IAmazonDynamoDB db, IOptions<TableOptions> tables)
{
    public const string RecentIndex = "byRecent";

    private string Table => tables.Value.Progress;

    /// <summary>Saves the position if it is newer than the stored one; returns what is stored afterwards.</summary>
    public async Task<ListeningProgress> SaveAsync(string userId, ListeningProgress progress, CancellationToken ct)
    {
        try
        {
            await db.PutItemAsync(new PutItemRequest
            {
                TableName = Table,
                Item = new()
                {
                    ["userId"] = new(userId),
                    ["bookId"] = new(progress.BookId),
                    ["chapterId"] = new(progress.ChapterId),
                    ["positionSeconds"] = BookItems.Number(progress.PositionSeconds),
                    ["clientUpdatedAt"] = new(Timestamp(progress.ClientUpdatedAt)),
                    ["updatedAt"] = new(Timestamp(progress.UpdatedAt)),
                },
                ConditionExpression = "attribute_not_exists(userId) OR clientUpdatedAt < :client",
                ExpressionAttributeValues = new() { [":client"] = new(Timestamp(progress.ClientUpdatedAt)) },
            }, ct);
            return progress;
        }
        catch (ConditionalCheckFailedException)
        {
            return await GetAsync(userId, progress.BookId, ct) ?? progress;
        }
    }

    public async Task<ListeningProgress?> GetAsync(string userId, string bookId, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = Key(userId, bookId),
            ConsistentRead = true,
        }, ct);
        return response.IsItemSet ? FromItem(response.Item) : null;
    }

    /// <summary>"Continue listening": the most recently played books first.</summary>
    public async Task<List<ListeningProgress>> RecentAsync(string userId, int limit, CancellationToken ct)
    {
        var response = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = RecentIndex,
            KeyConditionExpression = "userId = :user",
            ExpressionAttributeValues = new() { [":user"] = new(userId) },
            ScanIndexForward = false,
            Limit = limit,
        }, ct);
        return [.. (response.Items ?? []).Select(FromItem)];
    }

    public Task DeleteAsync(string userId, string bookId, CancellationToken ct) =>
        db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = Key(userId, bookId) }, ct);

    /// <summary>Fixed-width UTC timestamps, so string order is time order (the index sorts on it).</summary>
    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static Dictionary<string, AttributeValue> Key(string userId, string bookId) =>
        new() { ["userId"] = new(userId), ["bookId"] = new(bookId) };

    private static ListeningProgress FromItem(Dictionary<string, AttributeValue> item) => new(
        item["bookId"].S,
        item["chapterId"].S,
        double.Parse(item["positionSeconds"].N, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(item["clientUpdatedAt"].S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        DateTimeOffset.Parse(item["updatedAt"].S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
}
