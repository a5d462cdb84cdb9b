using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Audiobook.Api.Extensions;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Audiobook.Api.Accounts;

/// <summary>
/// What one account may ask of the API: a token bucket per account for every authenticated request
/// (<see cref="Requests"/>), and a smaller one of its own for signed stream and download URLs
/// (<see cref="StreamUrls"/>), each signed with a private key. Past either: 429 with Retry-After, and
/// every other account is served as before. API Gateway's stage throttle is shared by all users; this
/// is what keeps one client from using it up.
/// </summary>
public sealed class UserRateLimitOptions
{
    public const string Section = "RateLimits:PerUser";

    /// <summary>Bursts of a page load pass; a steady 20 a second does too. A flood does not.</summary>
    [ValidateObjectMembers]
    public TokenBucket Requests { get; set; } = new() { TokenLimit = 120, TokensPerPeriod = 20, Period = TimeSpan.FromSeconds(1) };

    /// <summary>A listener starts a chapter or seeks past an expired URL now and then, not dozens of times a minute.</summary>
    [ValidateObjectMembers]
    public TokenBucket StreamUrls { get; set; } = new() { TokenLimit = 30, TokensPerPeriod = 1, Period = TimeSpan.FromSeconds(2) };

    public sealed class TokenBucket
    {
        [Range(1, 100_000)]
        public int TokenLimit { get; set; }

        [Range(1, 100_000)]
        public int TokensPerPeriod { get; set; }

        [TimeSpanRange("00:00:00.010", "01:00:00")]
        public TimeSpan Period { get; set; }

        public TokenBucketRateLimiterOptions Limiter() => new()
        {
            TokenLimit = TokenLimit,
            TokensPerPeriod = TokensPerPeriod,
            ReplenishmentPeriod = Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}

/// <summary>Checks the attributes of <see cref="UserRateLimitOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class UserRateLimitOptionsValidator : IValidateOptions<UserRateLimitOptions>;

public static class UserRateLimits
{
    /// <summary>The policy of the stream and download URL routes.</summary>
    public const string StreamUrlPolicy = "stream-urls";

    public static void AddUserRateLimits(this RateLimiterOptions limiter)
    {
        // Every authenticated request, by account; anonymous ones (sign-in, health) have limits of their own.
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User.FindFirstValue(JwtRegisteredClaimNames.Sub) is { } account
                ? RateLimitPartition.GetTokenBucketLimiter("user:" + account, _ => Settings(context).Requests.Limiter())
                : RateLimitPartition.GetNoLimiter("anonymous"));
        limiter.AddPolicy(StreamUrlPolicy, context =>
            RateLimitPartition.GetTokenBucketLimiter("stream:" + context.User.FindFirstValue(JwtRegisteredClaimNames.Sub), _ => Settings(context).StreamUrls.Limiter()));
    }

    private static UserRateLimitOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<UserRateLimitOptions>>().Value;
}
