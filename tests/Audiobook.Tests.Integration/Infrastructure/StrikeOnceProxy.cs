using System.Reflection;

namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// Wraps a real AWS client and singles out, once, the first asynchronous call (one returning
/// <c>Task&lt;TResult&gt;</c>) that matches, for a subclass to act on; every call goes on to the emulator
/// unless the subclass stops it. <see cref="FaultInjection{T}"/> and <see cref="Interleaving{T}"/> are the two.
/// </summary>
public abstract class StrikeOnceProxy<T> : DispatchProxy
    where T : class
{
    private T inner = null!;
    private Func<MethodInfo, object?[]?, bool> matches = null!;
    private int struck;
    private bool everyTime;

    public bool HasStruck => Volatile.Read(ref struck) == 1;

    /// <param name="everyTime">Strike every matching call, not only the first: a fault that persists.</param>
    protected static T Wrap<TProxy>(T inner, Func<MethodInfo, object?[]?, bool> matches, out TProxy proxy, bool everyTime = false)
        where TProxy : StrikeOnceProxy<T>
    {
        var wrapped = Create<T, TProxy>();
        proxy = (TProxy)(object)wrapped;
        proxy.inner = inner;
        proxy.matches = matches;
        proxy.everyTime = everyTime;
        return wrapped;
    }

    /// <summary>True for the first matching asynchronous call (or, striking every time, for each).</summary>
    protected bool Strikes(MethodInfo method, object?[]? args) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
        && matches(method, args) && (Interlocked.Exchange(ref struck, 1) == 0 || everyTime);

    /// <summary>The call on the real client, its exceptions as the client threw them.</summary>
    protected object? CallInner(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    /// <summary>The <c>TResult</c> of a call that returns <c>Task&lt;TResult&gt;</c>.</summary>
    protected static Type ResultType(MethodInfo method) => method.ReturnType.GetGenericArguments()[0];

    /// <summary>
    /// Calls the subclass's private generic method <paramref name="name"/>, made for the call's
    /// <c>TResult</c>, with the call's task (looked up the hierarchy: this object is the proxy type
    /// DispatchProxy generated from the subclass).
    /// </summary>
    protected object? ContinueWith(string name, MethodInfo method, object? task)
    {
        for (var type = GetType(); type is not null; type = type.BaseType)
        {
            var continuation = type.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            if (continuation is not null)
            {
                return continuation.MakeGenericMethod(ResultType(method)).Invoke(this, [task]);
            }
        }
        throw new MissingMethodException(GetType().Name, name);
    }
}
