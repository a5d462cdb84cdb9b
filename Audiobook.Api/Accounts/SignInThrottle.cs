using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Failed sign-ins per e-mail address (SIGNIN#address in the Users table, known address or not, so the
/// answer reveals nothing). Kept in the store, not in memory, so every instance sees the same count.
/// </summary>
public sealed class SignInThrottle(IAmazonDynamoDB db, IOptions<TableOptions> tables, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private string Table => tables.Value.Users;

    /// <summary>The recent failures of this address and how long it must still wait (zero: go ahead).</summary>
    public async Task<SignInState> CheckAsync(string email, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(Key(email)) },
            ConsistentRead = true,
        }, ct);
        if (!response.IsItemSet)
        {
            return SignInState.Clean;
        }
        var failures = int.Parse(response.Item["failures"].N, CultureInfo.InvariantCulture);
        var last = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(response.Item["lastFailureAt"].N, CultureInfo.InvariantCulture));
        var now = time.GetUtcNow();
        if (now - last > options.Value.FailureMemory)
        {
            return SignInState.Clean; // forgotten (the item's TTL removes it in time)
        }
        var wait = last + options.Value.DelayAfter(failures) - now;
        return new SignInState(failures, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    public Task RecordFailureAsync(string email, SignInState before, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(Key(email)) },
            // A forgotten count starts again at one instead of growing from where it was.
            UpdateExpression = (before.Failures == 0 ? "SET failures = :one," : "ADD failures :one SET") + " lastFailureAt = :now, expiresAtEpoch = :expires",
            ExpressionAttributeValues = new()
            {
                [":one"] = new() { N = "1" },
                [":now"] = new() { N = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) },
                [":expires"] = new() { N = (now + options.Value.FailureMemory).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            },
        }, ct);
    }

    public Task ClearAsync(string email, SignInState before, CancellationToken ct) =>
        before.Failures == 0
            ? Task.CompletedTask
            : db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = new() { ["pk"] = new(Key(email)) } }, ct);

    private static string Key(string email) => "SIGNIN#" + Credentials.EmailKey(email);
}

public sealed record SignInState(int Failures, TimeSpan Wait)
{
    public static readonly SignInState Clean = new(0, TimeSpan.Zero);
}
