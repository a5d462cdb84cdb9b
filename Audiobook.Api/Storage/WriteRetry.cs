using Amazon.DynamoDBv2.Model;
using Polly;
using Polly.Retry;

namespace Audiobook.Api.Storage;

/// <summary>
/// The one retry policy for writes that lost a race: another writer changed what this one read (a
/// condition failed, or DynamoDB cancelled two colliding transactions), or DynamoDB left part of a
/// batch unprocessed. The work runs again from a fresh read, at most <see cref="MaxAttempts"/> times,
/// with exponential backoff and jitter so colliding writers spread out. When the race keeps being
/// lost, <see cref="WriteContentionException"/> is answered as a 503 with Retry-After: nothing was
/// written, and a later try succeeds.
/// </summary>
public static class WriteRetry
{
    public const int MaxAttempts = 10;

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<LostRace>().Handle<TransactionCanceledException>(IsCollision),
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(500),
        })
        .Build();

    /// <summary>Runs <paramref name="attempt"/> until it returns; an attempt that lost the race throws <see cref="Again"/>.</summary>
    public static async ValueTask<T> ExecuteAsync<T>(string what, Func<CancellationToken, ValueTask<T>> attempt, CancellationToken ct)
    {
        try
        {
            return await Pipeline.ExecuteAsync(attempt, ct);
        }
        catch (Exception lost) when (lost is LostRace || lost is TransactionCanceledException canceled && IsCollision(canceled))
        {
            throw new WriteContentionException(what, lost);
        }
    }

    /// <summary>What an attempt throws when its write was refused because the state it read has changed.</summary>
    public static Exception Again() => new LostRace();

    /// <summary>DynamoDB cancelled the transaction because another one touched the same item at the same time.</summary>
    public static bool IsCollision(TransactionCanceledException exception) =>
        exception.CancellationReasons.Any(r => r.Code == "TransactionConflict");

    private sealed class LostRace() : Exception("The write lost a race with another writer.");
}
