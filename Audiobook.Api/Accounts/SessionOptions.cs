using System.ComponentModel.DataAnnotations;
using Audiobook.Api.Extensions;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>Sign-in sessions: refresh tokens and how quickly a revocation reaches every instance.</summary>
public sealed class SessionOptions
{
    public const string Section = "Accounts:Sessions";

    /// <summary>A session unused for this long ends; every refresh extends it, up to <see cref="AbsoluteLifetime"/>.</summary>
    [TimeSpanRange("00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A session ends this long after its sign-in, however often it is refreshed: a stolen refresh token cannot be kept alive for ever.</summary>
    [TimeSpanRange("00:05:00", "400.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// A refresh token just replaced is still honoured this long, so a client whose refresh answer was
    /// lost can retry. Any older token of the session presented again revokes the whole session (reuse
    /// detection); a secret the session never issued revokes nothing.
    /// </summary>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan ReuseGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an instance trusts that a session is still open before asking the store again.</summary>
    [TimeSpanRange("00:00:00", "00:05:00")]
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks the attributes of <see cref="SessionOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class SessionOptionsValidator : IValidateOptions<SessionOptions>;
