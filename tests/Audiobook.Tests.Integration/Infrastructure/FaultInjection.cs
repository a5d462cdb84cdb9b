using System.Reflection;

namespace Audiobook.Tests.Infrastructure;

/// <summary>When an injected fault strikes: before the call reaches the service, or after it has
/// taken effect (the answer is lost, as when a Lambda dies or a connection drops mid-response).</summary>
public enum FaultTiming
{
    BeforeCall,
    AfterCall,
}

/// <summary>
/// Wraps a real AWS client and fails, once, the first asynchronous call that matches: a drop of the
/// connection, as the SDK would report it. Everything else goes straight through to the emulator.
/// </summary>
public class FaultInjection<T> : StrikeOnceProxy<T>
    where T : class
{
    private FaultTiming timing;
    private Func<Exception> failure = Dropped;

    /// <param name="failure">What the call fails with (default: the connection dropped).</param>
    /// <param name="everyTime">Fail every matching call, not only the first.</param>
    public static T Wrap(T inner, FaultTiming timing, Func<MethodInfo, object?[]?, bool> matches, out FaultInjection<T> fault, Func<Exception>? failure = null, bool everyTime = false)
    {
        var wrapped = Wrap(inner, matches, out fault, everyTime);
        fault.timing = timing;
        fault.failure = failure ?? Dropped;
        return wrapped;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        var strike = Strikes(method, args);
        if (strike && timing == FaultTiming.BeforeCall)
        {
            return Fail(ResultType(method));
        }
        var result = CallInner(method, args);
        return strike ? ContinueWith(nameof(ThenFail), method, result) : result;
    }

    private static HttpRequestException Dropped() => new("The connection was reset (fault injected by the test).");

    private object Fail(Type resultType) =>
        typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(resultType).Invoke(null, [failure()])!;

    private async Task<TResult> ThenFail<TResult>(Task<TResult> call)
    {
        await call;
        throw failure();
    }
}
