using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Accounts in the Users table: USER#id holds the profile and password hash, EMAIL#address points
/// to the user. Both are written in one transaction, so an address belongs to one account only.
/// </summary>
public sealed class UserStore(IAmazonDynamoDB db, IOptions<TableOptions> tables)
{
    private string Table => tables.Value.Users;

    /// <summary>
    /// False when the e-mail address is already taken. Two registrations of one address at once may
    /// collide in DynamoDB (TransactionConflict) instead of one failing its condition: this one then
    /// tries again, and finds the address taken or free.
    /// </summary>
    public Task<bool> TryCreateAsync(User user, CancellationToken ct) =>
        WriteRetry.ExecuteAsync("register the account", token => new ValueTask<bool>(TryCreateOnceAsync(user, token)), ct).AsTask();

    private async Task<bool> TryCreateOnceAsync(User user, CancellationToken ct)
    {
        try
        {
            await db.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new() { Put = new Put
                    {
                        TableName = Table,
                        Item = new() { ["pk"] = new(EmailKey(user.Email)), ["userId"] = new(user.Id) },
                        ConditionExpression = "attribute_not_exists(pk)",
                    } },
                    new() { Put = new Put
                    {
                        TableName = Table,
                        Item = new()
                        {
                            ["pk"] = new(UserKey(user.Id)),
                            ["userId"] = new(user.Id),
                            ["email"] = new(user.Email),
                            ["displayName"] = new(user.DisplayName),
                            ["passwordHash"] = new(user.PasswordHash),
                            ["createdAt"] = new(user.CreatedAt.ToString("O")),
                        },
                        ConditionExpression = "attribute_not_exists(pk)",
                    } },
                ],
            }, ct);
            return true;
        }
        catch (TransactionCanceledException ex) when (ex.CancellationReasons is [{ Code: "ConditionalCheckFailed" }, ..])
        {
            return false;
        }
    }

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken ct) =>
        db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(UserKey(userId)) },
            UpdateExpression = "SET passwordHash = :hash",
            ConditionExpression = "attribute_exists(pk)",
            ExpressionAttributeValues = new() { [":hash"] = new(passwordHash) },
        }, ct);

    public async Task<User?> FindByEmailAsync(string email, CancellationToken ct)
    {
        var pointer = await db.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(EmailKey(email)) },
            ConsistentRead = true,
        }, ct);
        return pointer.IsItemSet && pointer.Item.TryGetValue("userId", out var id) ? await FindByIdAsync(id.S, ct) : null;
    }

    public async Task<User?> FindByIdAsync(string id, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(UserKey(id)) },
            ConsistentRead = true,
        }, ct);
        if (!response.IsItemSet)
        {
            return null;
        }
        var item = response.Item;
        return new User(item["userId"].S, item["email"].S, item["displayName"].S, item["passwordHash"].S, DateTimeOffset.Parse(item["createdAt"].S, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string UserKey(string id) => "USER#" + id;

    private static string EmailKey(string email) => "EMAIL#" + Credentials.EmailKey(email);
}
