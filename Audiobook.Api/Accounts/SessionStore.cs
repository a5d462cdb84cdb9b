using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Sign-in sessions in the Users table (SESSION#id): the hash of the current refresh token, the hash
/// of the one it replaced, and whether the session was revoked. Items expire by TTL when unused.
/// </summary>
public sealed class SessionStore(IAmazonDynamoDB db, IOptions<TableOptions> tables, IOptions<SessionOptions> options, TimeProvider time, IMemoryCache cache)
{
    private string Table => tables.Value.Users;

    public async Task<RefreshToken> OpenAsync(string userId, CancellationToken ct)
    {
        var token = RefreshToken.New(Http.Ids.New());
        var now = time.GetUtcNow();
        await db.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["pk"] = new(Key(token.SessionId)),
                ["userId"] = new(userId),
                ["tokenHash"] = new(token.Hash),
                ["rotatedAt"] = new(now.ToString("O")),
                ["createdAt"] = new(now.ToString("O")),
                ["expiresAtEpoch"] = Epoch(now + options.Value.RefreshTokenLifetime),
            },
            ConditionExpression = "attribute_not_exists(pk)",
        }, ct);
        return token;
    }

    /// <summary>
    /// Exchanges a refresh token for its successor. A token that was already exchanged (outside the
    /// short retry grace) is a stolen or replayed one: the session is revoked for everybody holding it.
    /// </summary>
    public async Task<Rotation> RotateAsync(RefreshToken presented, CancellationToken ct)
    {
        // Two rounds: a concurrent refresh of the same token may win the conditional write in between.
        for (var round = 0; round < 2; round++)
        {
            var session = await GetAsync(presented.SessionId, ct);
            var now = time.GetUtcNow();
            if (session is null || session.Revoked || session.ExpiresAt <= now)
            {
                return Rotation.Rejected(RotationOutcome.Ended);
            }
            var presentedHash = presented.Hash;
            var isCurrent = presentedHash == session.TokenHash;
            var isJustReplaced = presentedHash == session.PreviousHash && now - session.RotatedAt <= options.Value.ReuseGrace;
            if (!isCurrent && !isJustReplaced)
            {
                await RevokeAsync(presented.SessionId, ct);
                return Rotation.Rejected(RotationOutcome.Reused);
            }

            var next = RefreshToken.New(presented.SessionId);
            try
            {
                await db.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = Table,
                    Key = new() { ["pk"] = new(Key(presented.SessionId)) },
                    UpdateExpression = "SET tokenHash = :next, previousHash = :current, rotatedAt = :now, expiresAtEpoch = :expires",
                    ConditionExpression = "tokenHash = :current AND attribute_not_exists(revoked)",
                    ExpressionAttributeValues = new()
                    {
                        [":next"] = new(next.Hash),
                        [":current"] = new(session.TokenHash),
                        [":now"] = new(now.ToString("O")),
                        [":expires"] = Epoch(now + options.Value.RefreshTokenLifetime),
                    },
                }, ct);
                return new Rotation(RotationOutcome.Rotated, session.UserId, next);
            }
            catch (ConditionalCheckFailedException)
            {
                // Someone else rotated (or revoked) first; look again.
            }
        }
        return Rotation.Rejected(RotationOutcome.Ended);
    }

    public async Task RevokeAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = new() { ["pk"] = new(Key(sessionId)) },
                UpdateExpression = "SET revoked = :yes",
                ConditionExpression = "attribute_exists(pk)",
                ExpressionAttributeValues = new() { [":yes"] = new() { BOOL = true } },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // Nothing to revoke.
        }
        cache.Remove(CacheKey(sessionId));
    }

    /// <summary>
    /// Whether an access token's session is still open. Asked on every authenticated request, so the
    /// answer is kept for <see cref="SessionOptions.RevocationCheckInterval"/>: a sign-out takes effect
    /// at once on this instance and within that interval on the others.
    /// </summary>
    public async ValueTask<bool> IsOpenAsync(string sessionId, CancellationToken ct)
    {
        if (cache.TryGetValue(CacheKey(sessionId), out bool open))
        {
            return open;
        }
        var session = await GetAsync(sessionId, ct);
        open = session is { Revoked: false } && session.ExpiresAt > time.GetUtcNow();
        cache.Set(CacheKey(sessionId), open, options.Value.RevocationCheckInterval);
        return open;
    }

    private async Task<Session?> GetAsync(string sessionId, CancellationToken ct)
    {
        var response = await db.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new() { ["pk"] = new(Key(sessionId)) },
            ConsistentRead = true,
        }, ct);
        if (!response.IsItemSet)
        {
            return null;
        }
        var item = response.Item;
        return new Session(
            item["userId"].S,
            item["tokenHash"].S,
            item.TryGetValue("previousHash", out var previous) ? previous.S : null,
            DateTimeOffset.Parse(item["rotatedAt"].S, CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAtEpoch"].N, CultureInfo.InvariantCulture)),
            item.TryGetValue("revoked", out var revoked) && revoked.BOOL == true);
    }

    private static AttributeValue Epoch(DateTimeOffset at) => new() { N = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };

    private static string Key(string sessionId) => "SESSION#" + sessionId;

    private static string CacheKey(string sessionId) => "session-open:" + sessionId;

    private sealed record Session(string UserId, string TokenHash, string? PreviousHash, DateTimeOffset RotatedAt, DateTimeOffset ExpiresAt, bool Revoked);
}

public enum RotationOutcome
{
    Rotated,
    Ended,
    Reused,
}

public sealed record Rotation(RotationOutcome Outcome, string? UserId, RefreshToken? Token)
{
    public static Rotation Rejected(RotationOutcome outcome) => new(outcome, null, null);
}
