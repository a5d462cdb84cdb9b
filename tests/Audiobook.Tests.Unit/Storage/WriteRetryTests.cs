using System.Net;
using Amazon.DynamoDBv2.Model;
using Audiobook.Api.Storage;

namespace Audiobook.Tests.Storage;

/// <summary>The one retry policy for writes that lost a race: bounded, and only for lost races.</summary>
public sealed class WriteRetryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_that_loses_twice_runs_again_and_returns_what_the_third_attempt_returns()
    {
        var attempts = 0;

        var result = await WriteRetry.ExecuteAsync("write", _ => ++attempts < 3 ? throw WriteRetry.Again() : ValueTask.FromResult(attempts), Token);

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task A_write_that_always_loses_stops_after_the_bound_with_a_contention_error()
    {
        var attempts = 0;

        var failure = await Assert.ThrowsAsync<WriteContentionException>(async () =>
            await WriteRetry.ExecuteAsync<int>("write the thing", _ => { attempts++; throw WriteRetry.Again(); }, Token));

        Assert.Equal(WriteRetry.MaxAttempts, attempts);
        Assert.Contains("write the thing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_cancelled_by_a_collision_is_retried_and_one_cancelled_by_a_condition_is_not()
    {
        var collisions = 0;
        var result = await WriteRetry.ExecuteAsync("write", _ => ++collisions < 2 ? throw Cancelled("TransactionConflict") : ValueTask.FromResult("written"), Token);
        Assert.Equal(("written", 2), (result, collisions));

        var conditions = 0;
        await Assert.ThrowsAsync<TransactionCanceledException>(async () =>
            await WriteRetry.ExecuteAsync<int>("write", _ => { conditions++; throw Cancelled("ConditionalCheckFailed"); }, Token));
        Assert.Equal(1, conditions);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await WriteRetry.ExecuteAsync<int>("write", _ => { attempts++; throw new HttpRequestException("reset"); }, Token));

        Assert.Equal(1, attempts);
    }

    private static TransactionCanceledException Cancelled(string code) => new("cancelled")
    {
        StatusCode = HttpStatusCode.BadRequest,
        CancellationReasons = [new CancellationReason { Code = code }],
    };
}
