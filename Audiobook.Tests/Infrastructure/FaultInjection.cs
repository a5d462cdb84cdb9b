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
public class FaultInjection<T> : DispatchProxy
    where T : class
{
    private T inner = null!;
    private Func<MethodInfo, object?[]?, bool> matches = null!;
    private FaultTiming timing;
    private int struck;

    public bool HasStruck => Volatile.Read(ref struck) == 1;

    public static T Wrap(T inner, FaultTiming timing, Func<MethodInfo, object?[]?, bool> matches, out FaultInjection<T> fault)
    {
        var proxy = Create<T, FaultInjection<T>>();
        fault = (FaultInjection<T>)(object)proxy;
        fault.inner = inner;
        fault.timing = timing;
        fault.matches = matches;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        var strike = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            && matches(method, args) && Interlocked.Exchange(ref struck, 1) == 0;
        if (strike && timing == FaultTiming.BeforeCall)
        {
            return Fail(method.ReturnType.GetGenericArguments()[0]);
        }
        object? result;
        try
        {
            result = method.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        return strike
            ? typeof(FaultInjection<T>).GetMethod(nameof(ThenFail), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [result])
            : result;
    }

    private static HttpRequestException Dropped() => new("The connection was reset (fault injected by the test).");

    private static object Fail(Type resultType) =>
        typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(resultType).Invoke(null, [Dropped()])!;

    private static async Task<TResult> ThenFail<TResult>(Task<TResult> call)
    {
        await call;
        throw Dropped();
    }
}
