using Audiobook.Api.Http;
using Audiobook.Api.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Audiobook.Api.Accounts;

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Accounts").AllowAnonymous().RequireRateLimiting(AuthenticationSetup.AuthRateLimit);
        auth.MapPost("/register", Register).WithName("Register").WithSummary("Create an account")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/login", Login).WithName("Login").WithSummary("Sign in and get an access token")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        routes.MapGet("/api/v1/me", Me).WithTags("Accounts").WithName("Me").WithSummary("The signed-in account");
        return routes;
    }

    public sealed record Services(UserStore Users, IPasswordHasher<User> Hasher, TokenIssuer Tokens, AudiobookMetrics Metrics, TimeProvider Time);

    public static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, [AsParameters] Services services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var email = Credentials.CleanEmail(request.Email);
        if (email is null)
        {
            errors["email"] = ["A valid e-mail address is required."];
        }
        var displayName = Text.Field(errors, "displayName", request.DisplayName, 100, required: true);
        if (Credentials.PasswordProblem(request.Password, email) is { } weak)
        {
            errors["password"] = [weak];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
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
        LoginRequest request, [AsParameters] Services services, CancellationToken ct)
    {
        var email = Credentials.CleanEmail(request.Email);
        var user = email is null ? null : await services.Users.FindByEmailAsync(email, ct);
        var password = request.Password ?? "";

        // Unknown addresses cost the same hash verification as wrong passwords, and get the same answer.
        var verdict = user is null
            ? VerifyAgainstDecoy(services.Hasher, password)
            : services.Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            services.Metrics.LoginFailed();
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "Wrong e-mail address or password.");
        }
        return TypedResults.Ok(services.Tokens.Issue(user));
    }

    public static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Me(HttpContext context, UserStore users, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(context.User.UserId(), ct);
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Account not found", detail: "The account of this token no longer exists.")
            : TypedResults.Ok(user.ToResponse());
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
