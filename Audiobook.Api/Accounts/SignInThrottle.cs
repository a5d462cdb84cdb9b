using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Slows password guessing down, in the store so every instance sees the same counts (Users table):
/// <list type="bullet">
/// <item><c>SIGNIN#account#FROM#client</c>: this account from this client. A successful sign-in clears it
/// and marks the client as one the account has signed in from.</item>
/// <item><c>SIGNIN#account</c>: this account from every client it never signed in from — the ceiling an
/// attacker with many addresses meets. A client the account knows is not charged here, so others'
/// failures never keep the owner out from where it signed in before.</item>
/// <item><c>SIGNINFROM#client</c>: this client, whatever the account (one address trying many accounts).</item>
/// </list>
/// An attempt is reserved before the password is checked: one conditional transaction counts it against
/// every counter it is charged to, and fails when another attempt took the slot first. However many
/// requests arrive at once, on however many instances, each allowed slot buys one password check.
/// Counters are kept by the address as typed (known account or not), so the answers reveal nothing.
/// </summary>
public sealed class SignInThrottle(IAmazonDynamoDB db, IOptions<TableOptions> tables, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    /// <summary>
    /// Rounds of read-and-reserve before an attempt that keeps losing the race is told to wait. Not
    /// <see cref="WriteRetry"/>: a lost round is not a write to finish later but a re-read that
    /// usually ends in a refusal, and backing off between rounds held parallel guesses for seconds,
    /// past the waits they were meant to meet (seen once in a CI run of PasswordGuessingTests).
    /// </summary>
    private const int MaxRounds = 4;

    private string Table => tables.Value.Users;

    private SignInThrottleOptions Settings => options.Value;

    /// <summary>Takes a slot for one password check, or says how long to wait for the next one.</summary>
    public async Task<SignInAttempt> ReserveAsync(string email, string client, CancellationToken ct)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var counters = await ReadAsync(email, client, ct);
            var charged = counters.Where(c => c.Kind != CounterKind.Account || !counters[0].Known).ToList();
            var wait = charged.Max(c => c.WaitAt(now, Settings));
            if (wait > TimeSpan.Zero)
            {
                return SignInAttempt.Refused(wait);
            }
            try
            {
                await db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. charged.Select(c => Reservation(c, now))] }, ct);
                return new SignInAttempt(true, TimeSpan.Zero, charged);
            }
            catch (TransactionCanceledException)
            {
                // Another attempt reserved first (or collided with this one): look at the counts again.
            }
        }
        return SignInAttempt.Refused(Settings.FirstDelay);
    }

    /// <summary>The password was right: the client is one the account knows, and the attempt is not held against the others.</summary>
    public Task SucceededAsync(SignInAttempt attempt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return Task.WhenAll(attempt.Charged.Select(counter => counter.Kind == CounterKind.AccountFromClient
            ? db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = Key(counter.Pk),
                UpdateExpression = "SET failures = :zero, known = :yes, lastAttemptAt = :now, expiresAtEpoch = :expires REMOVE blockedUntil",
                ExpressionAttributeValues = new()
                {
                    [":zero"] = Number(0),
                    [":yes"] = new() { BOOL = true },
                    [":now"] = Number(now.ToUnixTimeMilliseconds()),
                    [":expires"] = Number((now + Settings.KnownClientMemory).ToUnixTimeSeconds()),
                },
            }, ct)
            : UncountAsync(counter, ct)));
    }

    /// <summary>
    /// The password was wrong: the wait the reservation set starts again now, so the time the check
    /// took (a deliberately slow hash, slower on a busy instance) does not shorten it. Only counters
    /// past their free attempts are written, and only while they still hold this attempt's count.
    /// </summary>
    public Task FailedAsync(SignInAttempt attempt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return Task.WhenAll(attempt.Charged
            .Where(counter => counter.Reserved is { Delay: var delay } && delay > TimeSpan.Zero)
            .Select(async counter =>
            {
                var (reservedAt, delay) = counter.Reserved!.Value;
                try
                {
                    await db.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = Table,
                        Key = Key(counter.Pk),
                        UpdateExpression = "SET blockedUntil = :until",
                        ConditionExpression = "lastAttemptAt = :reserved AND blockedUntil < :until",
                        ExpressionAttributeValues = new()
                        {
                            [":until"] = Number((now + delay).ToUnixTimeMilliseconds()),
                            [":reserved"] = Number(reservedAt),
                        },
                    }, ct);
                }
                catch (ConditionalCheckFailedException)
                {
                    // A later attempt reserved since, and set its own wait.
                }
            }));
    }

    /// <summary>Gives back the failure the reservation counted (unless the count was forgotten meanwhile).</summary>
    private async Task UncountAsync(Counter counter, CancellationToken ct)
    {
        try
        {
            await db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = Table,
                Key = Key(counter.Pk),
                UpdateExpression = "SET failures = failures - :one",
                ConditionExpression = "failures > :zero",
                ExpressionAttributeValues = new() { [":one"] = Number(1), [":zero"] = Number(0) },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // Nothing left to give back.
        }
    }

    private async Task<List<Counter>> ReadAsync(string email, string client, CancellationToken ct)
    {
        var account = "SIGNIN#" + Credentials.EmailKey(email);
        var counters = new List<Counter>
        {
            new(CounterKind.AccountFromClient, $"{account}#FROM#{client}"),
            new(CounterKind.Account, account),
            new(CounterKind.Client, "SIGNINFROM#" + client),
        };
        var response = await db.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [Table] = new KeysAndAttributes { Keys = [.. counters.Select(c => Key(c.Pk))], ConsistentRead = true } },
        }, ct);
        foreach (var item in response.Responses.GetValueOrDefault(Table) ?? [])
        {
            counters.Single(c => c.Pk == item["pk"].S).Read(item);
        }
        return counters;
    }

    private TransactWriteItem Reservation(Counter counter, DateTimeOffset now)
    {
        var next = counter.FailuresAt(now, Settings) + 1;
        var free = counter.Kind == CounterKind.Client ? Settings.ClientFreeAttempts : Settings.FreeAttempts;
        var memory = counter.Known ? Settings.KnownClientMemory : Settings.FailureMemory;
        var delay = Settings.DelayAfter(next, free);
        counter.Reserved = (now.ToUnixTimeMilliseconds(), delay);
        var values = new Dictionary<string, AttributeValue>
        {
            [":next"] = Number(next),
            [":until"] = Number((now + delay).ToUnixTimeMilliseconds()),
            [":now"] = Number(now.ToUnixTimeMilliseconds()),
            [":expires"] = Number((now + memory).ToUnixTimeSeconds()),
        };
        if (counter.LastAttemptAt is { } seen)
        {
            values[":seen"] = Number(seen);
        }
        return new TransactWriteItem
        {
            Update = new Update
            {
                TableName = Table,
                Key = Key(counter.Pk),
                UpdateExpression = "SET failures = :next, blockedUntil = :until, lastAttemptAt = :now, expiresAtEpoch = :expires",
                // Exactly the state read: an attempt that reserved in between makes this one look again.
                ConditionExpression = counter.LastAttemptAt is null ? "attribute_not_exists(lastAttemptAt)" : "lastAttemptAt = :seen",
                ExpressionAttributeValues = values,
            },
        };
    }

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = new(pk) };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    internal enum CounterKind
    {
        AccountFromClient,
        Account,
        Client,
    }

    /// <summary>One counter as read: failures in a row, when the next attempt may come, whether the client is known.</summary>
    internal sealed class Counter(CounterKind kind, string pk)
    {
        public CounterKind Kind { get; } = kind;

        public string Pk { get; } = pk;

        public int Failures { get; private set; }

        public long? LastAttemptAt { get; private set; }

        public long? BlockedUntil { get; private set; }

        public bool Known { get; private set; }

        /// <summary>What this attempt's reservation wrote: when (its lastAttemptAt) and the wait it set.</summary>
        public (long At, TimeSpan Delay)? Reserved { get; set; }

        public void Read(Dictionary<string, AttributeValue> item)
        {
            Failures = item.TryGetValue("failures", out var failures) ? int.Parse(failures.N, CultureInfo.InvariantCulture) : 0;
            LastAttemptAt = item.TryGetValue("lastAttemptAt", out var last) ? long.Parse(last.N, CultureInfo.InvariantCulture) : null;
            BlockedUntil = item.TryGetValue("blockedUntil", out var until) ? long.Parse(until.N, CultureInfo.InvariantCulture) : null;
            Known = item.TryGetValue("known", out var known) && known.BOOL == true;
        }

        /// <summary>Failures still remembered (older ones are forgotten; the item's TTL removes it in time).</summary>
        public int FailuresAt(DateTimeOffset now, SignInThrottleOptions settings) =>
            LastAttemptAt is { } last && now - DateTimeOffset.FromUnixTimeMilliseconds(last) <= settings.FailureMemory ? Failures : 0;

        public TimeSpan WaitAt(DateTimeOffset now, SignInThrottleOptions settings) =>
            FailuresAt(now, settings) > 0 && BlockedUntil is { } until && DateTimeOffset.FromUnixTimeMilliseconds(until) > now
                ? DateTimeOffset.FromUnixTimeMilliseconds(until) - now
                : TimeSpan.Zero;
    }
}

/// <summary>A sign-in attempt's slot: allowed (and the counters it was charged to), or how long to wait.</summary>
public sealed class SignInAttempt
{
    internal SignInAttempt(bool allowed, TimeSpan wait, IReadOnlyList<SignInThrottle.Counter> charged)
    {
        Allowed = allowed;
        Wait = wait;
        Charged = charged;
    }

    public bool Allowed { get; }

    public TimeSpan Wait { get; }

    internal IReadOnlyList<SignInThrottle.Counter> Charged { get; }

    internal static SignInAttempt Refused(TimeSpan wait) => new(false, wait, []);
}
