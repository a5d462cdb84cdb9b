using Audiobook.Api.Extensions;
using Audiobook.Api.Http;
using Audiobook.Api.Quotas;
using Audiobook.Api.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace Audiobook.Api.Accounts;

public static class AccountsApi
{
    /// <summary>Accounts, sessions, the sign-in throttle and tokens, with the authentication they take part in.</summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateWith<SessionOptions, SessionOptionsValidator>().ValidateOnStart();
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateWith<SignInThrottleOptions, SignInThrottleOptionsValidator>().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<UserStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IPasswordHasher<User>>(new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = Credentials.PasswordHashIterations })));
        return builder.AddAudiobookAuthentication();
    }

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        // Token answers are never stored by a cache or a browser (Cache-Control: no-store).
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Accounts").AllowAnonymous().RequireRateLimiting(AuthenticationSetup.AuthRateLimit)
            .AddEndpointFilter(static async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            });
        auth.MapPost("/register", Register).WithName("Register").WithSummary("Create an account")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/login", Login).WithName("Login").WithSummary("Sign in and get an access token and a refresh token")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", Refresh).WithName("Refresh").WithSummary("Exchange a refresh token for new tokens (each refresh token works once)")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", Logout).WithName("Logout")
            .WithSummary("Sign out: ends this session, its refresh token and its access tokens (with the access token, or the refresh token alone)");

        routes.MapGet("/api/v1/me", Me).WithTags("Accounts").WithName("Me").WithSummary("The signed-in account");
        return routes;
    }

    public sealed record Services(
        UserStore Users, SessionStore Sessions, SignInThrottle Throttle, IPasswordHasher<User> Hasher, TokenIssuer Tokens, AudiobookMetrics Metrics, TimeProvider Time, ILoggerFactory Logs);

    public static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, [AsParameters] Services services, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (email, displayName) = request.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var user = new User(Ids.New(), email!, displayName!, "", services.Time.GetUtcNow());
        user = user with { PasswordHash = services.Hasher.HashPassword(user, request.Password!) };
        if (!await services.Users.TryCreateAsync(user, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "E-mail address taken",
                detail: "An account with this e-mail address already exists.");
        }
        return TypedResults.Created("/api/v1/me", user.ToResponse());
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext context, [AsParameters] Services services, CancellationToken ct)
    {
        var email = Credentials.CleanEmail(request.Email);
        var password = request.Password ?? "";
        if (email is null)
        {
            VerifyAgainstDecoy(services.Hasher, password);
            return WrongCredentials(services);
        }
        // A slot for one password check is taken before the check (SignInThrottle): parallel guesses
        // cannot all slip through, and every answer is the same whether the account exists or not.
        var attempt = await services.Throttle.ReserveAsync(email, ClientAddress.Key(context), ct);
        if (!attempt.Allowed)
        {
            var seconds = (int)Math.Ceiling(attempt.Wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                detail: $"Too many failed sign-ins. Try again in {seconds} s.");
        }
        var user = await services.Users.FindByEmailAsync(email, ct);

        // Unknown addresses cost the same hash verification as wrong passwords, and get the same answer.
        var verdict = user is null ? VerifyAgainstDecoy(services.Hasher, password) : services.Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await services.Throttle.FailedAsync(attempt, ct);
            return WrongCredentials(services);
        }
        await services.Throttle.SucceededAsync(attempt, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Hashed with fewer iterations (or an older format) than today's: stronger from now on.
            await services.Users.SetPasswordHashAsync(user.Id, services.Hasher.HashPassword(user, password), ct);
            services.Logs.CreateLogger("Audiobook.Api.Accounts").LogInformation("Password hash of {UserId} upgraded at sign-in", user.Id);
        }
        var session = await services.Sessions.OpenAsync(user.Id, ct);
        return TypedResults.Ok(services.Tokens.Issue(user, session));
    }

    private static ProblemHttpResult WrongCredentials(Services services)
    {
        services.Metrics.LoginFailed();
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Wrong e-mail address or password.");
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, [AsParameters] Services services, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return FieldErrors.Problem("refreshToken", "refreshToken is required.");
        }
        if (!RefreshToken.TryParse(request.RefreshToken, out var presented))
        {
            return SessionEnded("This is not a refresh token. Sign in again.");
        }
        var rotation = await services.Sessions.RotateAsync(presented, ct);
        if (rotation.Outcome == RotationOutcome.Reused)
        {
            services.Metrics.RefreshTokenReused();
            return SessionEnded("This refresh token was already used, so the session has been ended on every device. Sign in again.");
        }
        var user = rotation.UserId is null ? null : await services.Users.FindByIdAsync(rotation.UserId, ct);
        if (user is null || rotation.Token is not { } next)
        {
            return SessionEnded("The session has ended. Sign in again.");
        }
        return TypedResults.Ok(services.Tokens.Issue(user, next));
    }

    /// <summary>
    /// Ends the caller's session: the one its access token names, or — for a page whose access token
    /// has expired — the one whose current refresh token it presents.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Logout(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RefreshRequest? request, HttpContext context, SessionStore sessions, CancellationToken ct)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await sessions.RevokeAsync(context.User.SessionId(), ct);
            return TypedResults.NoContent();
        }
        if (RefreshToken.TryParse(request?.RefreshToken, out var presented) && await sessions.RevokeHeldAsync(presented, ct))
        {
            return TypedResults.NoContent();
        }
        return SessionEnded("Sign out needs the session's access token or its current refresh token.");
    }

    private static ProblemHttpResult SessionEnded(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Session ended", detail: detail);

    /// <summary>The account, with what it uses of its limits (<see cref="QuotaOptions"/>).</summary>
    public static async Task<Results<Ok<AccountWithUsage>, ProblemHttpResult>> Me(HttpContext context, UserStore users, UsageStore usage, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(context.User.UserId(), ct);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Account not found", detail: "The account of this token no longer exists.");
        }
        var account = user.ToResponse();
        return TypedResults.Ok(new AccountWithUsage(account.Id, account.Email, account.DisplayName, await usage.GetAsync(user.Id, ct), usage.Limits));
    }

    private static readonly User Decoy = new("decoy", "decoy@invalid", "decoy", "", DateTimeOffset.UnixEpoch);
    private static string? decoyHash;

    private static PasswordVerificationResult VerifyAgainstDecoy(IPasswordHasher<User> hasher, string password)
    {
        decoyHash ??= hasher.HashPassword(Decoy, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Decoy, decoyHash, password);
        return PasswordVerificationResult.Failed;
    }
}
