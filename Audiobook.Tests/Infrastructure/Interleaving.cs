using System.Reflection;

namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// Wraps a real AWS client and, once, holds back the answer to the first asynchronous call that
/// matches until <c>meanwhile</c> has run: another client's work slipped in between that call and
/// the caller's next step, deterministically. Everything else goes straight through.
/// </summary>
public class Interleaving<T> : DispatchProxy
    where T : class
{
    private T inner = null!;
    private Func<MethodInfo, object?[]?, bool> matches = null!;
    private Func<Task> meanwhile = null!;
    private int struck;

    public bool HasStruck => Volatile.Read(ref struck) == 1;

    public static T Wrap(T inner, Func<MethodInfo, object?[]?, bool> matches, Func<Task> meanwhile, out Interleaving<T> interleaving)
    {
        var proxy = Create<T, Interleaving<T>>();
        interleaving = (Interleaving<T>)(object)proxy;
        interleaving.inner = inner;
        interleaving.matches = matches;
        interleaving.meanwhile = meanwhile;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        object? result;
        try
        {
            result = method.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        var strike = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            && matches(method, args) && Interlocked.Exchange(ref struck, 1) == 0;
        return strike
            ? typeof(Interleaving<T>).GetMethod(nameof(AfterMeanwhile), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(this, [result])
            : result;
    }

    private async Task<TResult> AfterMeanwhile<TResult>(Task<TResult> call)
    {
        var answer = await call;
        await meanwhile();
        return answer;
    }
}
