using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

/// <summary>Login and registration attempts allowed per client address and window.</summary>
public sealed class AuthRateLimitOptions
{
    public const string Section = "RateLimits:Auth";

    [Range(1, 10_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>Checks the attributes of <see cref="AuthRateLimitOptions"/> with code generated at build time (no reflection, so the Native AOT build checks them too).</summary>
[OptionsValidator]
public sealed partial class AuthRateLimitOptionsValidator : IValidateOptions<AuthRateLimitOptions>;

internal static class RateLimitProblem
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = context.Request.Path.StartsWithSegments("/api/v1/auth") ? "Too many attempts" : "Too many requests",
                Detail = context.Request.Path.StartsWithSegments("/api/v1/auth")
                    ? "Too many sign-in attempts from this address. Wait a little and try again."
                    : "Too many requests from this account. Wait as long as Retry-After says, then try again.",
            },
        });
    }
}
