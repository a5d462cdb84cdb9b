using System.Security.Claims;
using System.Threading.RateLimiting;
using Audiobook.Api.Extensions;
using Audiobook.Api.Startup;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Audiobook.Api.Accounts;

public static class AuthenticationSetup
{
    public const string AuthRateLimit = "auth";

    /// <summary>Bearer tokens checked against open sessions, sign-in required by default, and the rate limits.</summary>
    public static IHostApplicationBuilder AddAudiobookAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .BindConfiguration(JwtOptions.Section)
            .ValidateWith<JwtOptions, JwtOptionsValidator>()
            .Validate(JwtOptions.HasUsableKey, "Jwt:SigningKey must be base64 of at least 32 random bytes; it is read from SSM (<Secrets:ParameterPath>Jwt/SigningKey).")
            .ValidateOnceSecretsJoin();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, TimeProvider>((bearer, jwt, time) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TimeProvider = time;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKeys = SigningKeys.Verifying(jwt.Value),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidTypes = [TokenIssuer.AccessTokenType],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = JwtRegisteredClaimNames.Name,
                };
                bearer.Events = new JwtBearerEvents { OnTokenValidated = RequireOpenSession };
            });

        // Every route needs a signed-in user unless it says AllowAnonymous.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddOptions<AuthRateLimitOptions>().BindConfiguration(AuthRateLimitOptions.Section).ValidateWith<AuthRateLimitOptions, AuthRateLimitOptionsValidator>().ValidateOnStart();
        builder.Services.AddOptions<UserRateLimitOptions>().BindConfiguration(UserRateLimitOptions.Section).ValidateWith<UserRateLimitOptions, UserRateLimitOptionsValidator>().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RateLimitProblem.WriteAsync;
            limiter.AddUserRateLimits();
            limiter.AddPolicy(AuthRateLimit, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<AuthRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    Http.ClientAddress.Key(context),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                        QueueLimit = 0,
                    });
            });
        });
        return builder;
    }

    /// <summary>A valid signature is not enough: the token's session must not have been signed out or revoked.</summary>
    private static async Task RequireOpenSession(TokenValidatedContext context)
    {
        var sessionId = context.Principal?.FindFirstValue(TokenIssuer.SessionClaim);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        if (sessionId is null || !await sessions.IsOpenAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.Fail("The session of this token has ended.");
        }
    }

    /// <summary>The signed-in user's id (the token's subject).</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? throw new InvalidOperationException("An authenticated user without a subject.");

    /// <summary>The session (refresh-token family) the signed-in user's token belongs to.</summary>
    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TokenIssuer.SessionClaim) ?? throw new InvalidOperationException("An authenticated user without a session.");
}
