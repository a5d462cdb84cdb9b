using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// The slow-down of password guessing (<see cref="SignInThrottle"/>): after <see cref="FreeAttempts"/>
/// failures in a row for an account from one client, or from all the clients it never signed in from,
/// or <see cref="ClientFreeAttempts"/> from one client whatever the account, each further attempt must
/// wait twice as long as the last, up to <see cref="MaxDelay"/>. A successful sign-in clears its client's
/// count for the account, and that client is then one the account knows for <see cref="KnownClientMemory"/>.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Accounts:SignInThrottle";

    [Range(1, 100)]
    public int FreeAttempts { get; set; } = 5;

    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this are forgotten.</summary>
    [TimeSpanRange("00:01:00", "30.00:00:00")]
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Failures one client may make across all accounts before it is slowed down.</summary>
    [Range(1, 10_000)]
    public int ClientFreeAttempts { get; set; } = 20;

    /// <summary>How long a client the account signed in from stays one it knows.</summary>
    [TimeSpanRange("1.00:00:00", "400.00:00:00")]
    public TimeSpan KnownClientMemory { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long after the last failure the next attempt must wait, given the failures so far and the free ones.</summary>
    public TimeSpan DelayAfter(int failures, int free)
    {
        if (failures < free)
        {
            return TimeSpan.Zero;
        }
        var doublings = Math.Min(failures - free, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}

/// <summary>Checks the attributes of <see cref="SignInThrottleOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class SignInThrottleOptionsValidator : IValidateOptions<SignInThrottleOptions>;
