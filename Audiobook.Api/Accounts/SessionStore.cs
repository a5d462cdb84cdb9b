using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Sign-in sessions in the Users table (SESSION#id): the hash of the current refresh token, the hashes
/// of the ones it replaced (the last <see cref="UsedTokensKept"/>), when it began, and whether it was
/// revoked. Items expire by TTL when unused, and at the session's absolute lifetime in any case.
/// </summary>
public sealed class SessionStore(IAmazonDynamoDB db, IOptions<TableOptions> tables, IOptions<SessionOptions> options, TimeProvider time, IMemoryCache cache)
{
    /// <summary>Used refresh tokens remembered for reuse detection: 100 refreshes, more than a day of an idle page's.</summary>
    public const int UsedTokensKept = 100;

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
                ["expiresAtEpoch"] = Epoch(ExpiresAt(now, now)),
            },
            ConditionExpression = "attribute_not_exists(pk)",
        }, ct);
        return token;
    }

    /// <summary>
    /// Exchanges a refresh token for its successor. A token the session issued and already exchanged
    /// (outside the short retry grace) is a stolen or replayed one: the session is revoked for everybody
    /// holding it. A secret the session never issued is only refused: knowing a session's id (it travels
    /// in the access token) must not let anyone end it.
    /// </summary>
    public async Task<Rotation> RotateAsync(RefreshToken presented, CancellationToken ct)
    {
        // Two rounds: a concurrent refresh of the same token may win the conditional write in between.
        for (var round = 0; round < 2; round++)
        {
            var session = await GetAsync(presented.SessionId, ct);
            var now = time.GetUtcNow();
            if (session is null || !session.IsOpenAt(now))
            {
                return Rotation.Rejected(RotationOutcome.Ended);
            }
            var presentedHash = presented.Hash;
            var isCurrent = presentedHash == session.TokenHash;
            var isJustReplaced = presentedHash == session.PreviousHash && now - session.RotatedAt <= options.Value.ReuseGrace;
            if (!isCurrent && !isJustReplaced)
            {
                if (!session.UsedHashes.Contains(presentedHash))
                {
                    return Rotation.Rejected(RotationOutcome.Ended);
                }
                await RevokeAsync(presented.SessionId, ct);
                return Rotation.Rejected(RotationOutcome.Reused);
            }

            var next = RefreshToken.New(presented.SessionId);
            var used = session.UsedHashes.Append(session.TokenHash).Distinct().TakeLast(UsedTokensKept).ToList();
            try
            {
                await db.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = Table,
                    Key = new() { ["pk"] = new(Key(presented.SessionId)) },
                    UpdateExpression = "SET tokenHash = :next, previousHash = :current, usedHashes = :used, rotatedAt = :now, expiresAtEpoch = :expires",
                    ConditionExpression = "tokenHash = :current AND attribute_not_exists(revoked)",
                    ExpressionAttributeValues = new()
                    {
                        [":next"] = new(next.Hash),
                        [":current"] = new(session.TokenHash),
                        [":used"] = new() { L = [.. used.Select(hash => new AttributeValue(hash))] },
                        [":now"] = new(now.ToString("O")),
                        [":expires"] = Epoch(ExpiresAt(session.CreatedAt, now)),
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

    /// <summary>Revokes the session whose current refresh token (or the one just replaced, within the grace) this is; false for any other.</summary>
    public async Task<bool> RevokeHeldAsync(RefreshToken presented, CancellationToken ct)
    {
        var session = await GetAsync(presented.SessionId, ct);
        var now = time.GetUtcNow();
        var held = session is not null && session.IsOpenAt(now)
            && (presented.Hash == session.TokenHash || (presented.Hash == session.PreviousHash && now - session.RotatedAt <= options.Value.ReuseGrace));
        if (held)
        {
            await RevokeAsync(presented.SessionId, ct);
        }
        return held;
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
        open = session is not null && session.IsOpenAt(time.GetUtcNow());
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
        var rotatedAt = DateTimeOffset.Parse(item["rotatedAt"].S, CultureInfo.InvariantCulture);
        var createdAt = item.TryGetValue("createdAt", out var created) ? DateTimeOffset.Parse(created.S, CultureInfo.InvariantCulture) : rotatedAt;
        return new Session(
            item["userId"].S,
            item["tokenHash"].S,
            item.TryGetValue("previousHash", out var previous) ? previous.S : null,
            item.TryGetValue("usedHashes", out var used) ? [.. used.L.Select(hash => hash.S)] : [],
            createdAt,
            rotatedAt,
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAtEpoch"].N, CultureInfo.InvariantCulture)),
            createdAt + options.Value.AbsoluteLifetime,
            item.TryGetValue("revoked", out var revoked) && revoked.BOOL == true);
    }

    /// <summary>When a session used now ends: after the idle lifetime, and never past the absolute one.</summary>
    private DateTimeOffset ExpiresAt(DateTimeOffset createdAt, DateTimeOffset now)
    {
        var idle = now + options.Value.RefreshTokenLifetime;
        var absolute = createdAt + options.Value.AbsoluteLifetime;
        return idle < absolute ? idle : absolute;
    }

    private static AttributeValue Epoch(DateTimeOffset at) => new() { N = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };

    private static string Key(string sessionId) => "SESSION#" + sessionId;

    private static string CacheKey(string sessionId) => "session-open:" + sessionId;

    private sealed record Session(
        string UserId, string TokenHash, string? PreviousHash, IReadOnlyList<string> UsedHashes,
        DateTimeOffset CreatedAt, DateTimeOffset RotatedAt, DateTimeOffset ExpiresAt, DateTimeOffset EndsAt, bool Revoked)
    {
        public bool IsOpenAt(DateTimeOffset now) => !Revoked && ExpiresAt > now && EndsAt > now;
    }
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
