using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>
/// Per-account slow-down of password guessing: after <see cref="FreeAttempts"/> failures in a row,
/// each further attempt must wait twice as long as the last, up to <see cref="MaxDelay"/>. The owner
/// is never locked out for longer than that, and a successful sign-in clears the count.
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

    /// <summary>How long after the last failure the next attempt must wait, given the failures so far.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeAttempts)
        {
            return TimeSpan.Zero;
        }
        var doublings = Math.Min(failures - FreeAttempts, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}

/// <summary>Checks the attributes of <see cref="SignInThrottleOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class SignInThrottleOptionsValidator : IValidateOptions<SignInThrottleOptions>;
