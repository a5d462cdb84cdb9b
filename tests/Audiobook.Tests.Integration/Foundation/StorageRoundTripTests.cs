using System.Security.Cryptography;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;

namespace Audiobook.Tests.Foundation;

/// <summary>
/// The data layer the API relies on, proved against a real emulator with aws/data.yaml deployed:
/// bytes come back exactly, ranges are served, and a transaction is all or nothing.
/// </summary>
public abstract class StorageRoundTripTests(IAwsTarget target)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_object_comes_back_byte_for_byte_and_serves_ranges()
    {
        Assert.SkipWhen(target.SkipReason is not null, target.SkipReason ?? "");
        var body = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var key = $"tests/round-trip/{Guid.NewGuid():N}.bin";

        await target.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = target.BucketName,
            Key = key,
            InputStream = new MemoryStream(body),
            ContentType = "application/octet-stream",
        }, Token);

        using (var whole = await target.S3.GetObjectAsync(target.BucketName, key, Token))
        {
            Assert.Equal(body, await ReadAllAsync(whole.ResponseStream));
        }

        using var range = await target.S3.GetObjectAsync(new GetObjectRequest
        {
            BucketName = target.BucketName,
            Key = key,
            ByteRange = new ByteRange(1_000_000, 1_000_099),
        }, Token);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, range.HttpStatusCode);
        Assert.Equal(body[1_000_000..1_000_100], await ReadAllAsync(range.ResponseStream));

        await target.S3.DeleteObjectAsync(target.BucketName, key, Token);
    }

    [Fact]
    public async Task A_transaction_across_tables_is_all_or_nothing()
    {
        Assert.SkipWhen(target.SkipReason is not null, target.SkipReason ?? "");
        var id = Guid.NewGuid().ToString("N");
        var userKey = new Dictionary<string, AttributeValue> { ["pk"] = new($"TEST#{id}") };
        var bookKey = new Dictionary<string, AttributeValue> { ["ownerId"] = new(id), ["bookId"] = new("book-1") };

        await target.DynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = target.UsersTable, Item = new(userKey) { ["n"] = new() { N = "1" } }, ConditionExpression = "attribute_not_exists(pk)" } },
                new() { Put = new Put { TableName = target.BooksTable, Item = new(bookKey) { ["title"] = new("First") } } },
            ],
        }, Token);

        // The second transaction fails its condition on the user item: the book must stay untouched.
        var failed = await Assert.ThrowsAsync<TransactionCanceledException>(() => target.DynamoDb.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = target.UsersTable, Item = new(userKey) { ["n"] = new() { N = "2" } }, ConditionExpression = "attribute_not_exists(pk)" } },
                new() { Put = new Put { TableName = target.BooksTable, Item = new(bookKey) { ["title"] = new("Second") } } },
            ],
        }, Token));
        Assert.Equal("ConditionalCheckFailed", failed.CancellationReasons[0].Code);

        var user = await target.DynamoDb.GetItemAsync(new GetItemRequest { TableName = target.UsersTable, Key = userKey, ConsistentRead = true }, Token);
        var book = await target.DynamoDb.GetItemAsync(new GetItemRequest { TableName = target.BooksTable, Key = bookKey, ConsistentRead = true }, Token);
        Assert.Equal("1", user.Item["n"].N);
        Assert.Equal("First", book.Item["title"].S);

        await target.DynamoDb.DeleteItemAsync(target.UsersTable, userKey, Token);
        await target.DynamoDb.DeleteItemAsync(target.BooksTable, bookKey, Token);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Token);
        return buffer.ToArray();
    }
}
