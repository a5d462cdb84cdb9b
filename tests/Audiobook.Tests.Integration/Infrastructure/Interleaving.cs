using System.Reflection;

namespace Audiobook.Tests.Infrastructure;

/// <summary>
/// Wraps a real AWS client and, once, holds back the answer to the first asynchronous call that
/// matches until <c>meanwhile</c> has run: another client's work slipped in between that call and
/// the caller's next step, deterministically. Everything else goes straight through.
/// </summary>
public class Interleaving<T> : StrikeOnceProxy<T>
    where T : class
{
    private Func<Task> meanwhile = null!;

    public static T Wrap(T inner, Func<MethodInfo, object?[]?, bool> matches, Func<Task> meanwhile, out Interleaving<T> interleaving)
    {
        var wrapped = Wrap(inner, matches, out interleaving);
        interleaving.meanwhile = meanwhile;
        return wrapped;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = CallInner(method, args);
        return Strikes(method, args) ? ContinueWith(nameof(AfterMeanwhile), method, result) : result;
    }

    private async Task<TResult> AfterMeanwhile<TResult>(Task<TResult> call)
    {
        var answer = await call;
        await meanwhile();
        return answer;
    }
}
