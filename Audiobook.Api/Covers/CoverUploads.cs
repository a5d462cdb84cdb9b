using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Chapters;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Covers;

/// <summary>
/// A book's pending cover upload, one per book, in the book's partition of the chapters table (so
/// deleting the book removes it and its object). The table's TTL removes a forgotten one; the bucket's
/// lifecycle rule removes its never-completed object.
/// </summary>
public sealed class CoverUploads(IAmazonDynamoDB db, IOptions<TableOptions> tables)
{
    private string Table => tables.Value.AudioChapters;

    public Task PutAsync(PendingUpload upload, CancellationToken ct) =>
        db.PutItemAsync(new PutItemRequest { TableName = Table, Item = ChapterItems.ToItem(upload, ChapterStore.KeepUploadRecordsAfterExpiry, ChapterItems.CoverUploadSk) }, ct);

    public async Task<PendingUpload?> GetAsync(string bookId, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = ChapterItems.Key(bookId, ChapterItems.CoverUploadSk), ConsistentRead = true }, ct);
        return response.IsItemSet ? ChapterItems.UploadFromItem(response.Item) : null;
    }

    /// <summary>Removes the pending upload if it is still this one: a newer one, started meanwhile, stays.</summary>
    public async Task DeleteAsync(PendingUpload upload, CancellationToken ct)
    {
        try
        {
            await db.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = Table,
                Key = ChapterItems.Key(upload.BookId, ChapterItems.CoverUploadSk),
                ConditionExpression = "uploadId = :id",
                ExpressionAttributeValues = new() { [":id"] = new(upload.Id) },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // Replaced by a newer upload, or already removed by a concurrent completion.
        }
    }
}
