using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Audiobook.LocalApiGateway;

/// <summary>
/// The stage's throttling, as API Gateway applies it: one token bucket for every caller of the stage
/// (not per client), as big as the burst limit and refilled at the rate limit; a request that finds it
/// empty gets 429 with API Gateway's own body, and never reaches the function.
/// </summary>
public static class StageThrottling
{
    public static IServiceCollection AddStageThrottling(this IServiceCollection services, GatewayOptions gateway) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetTokenBucketLimiter("stage", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = gateway.ThrottlingBurstLimit,
                // One token at a time, as the bucket refills continuously (to the millisecond the timer allows).
                TokensPerPeriod = Math.Max(1, gateway.ThrottlingRateLimit / 1000),
                ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, gateway.ThrottlingRateLimit / 1000) / (double)gateway.ThrottlingRateLimit),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.OnRejected = (rejected, ct) => GatewayAnswers.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests", ct);
        });
}
