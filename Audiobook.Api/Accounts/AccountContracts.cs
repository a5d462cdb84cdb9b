using Audiobook.Api.Http;

namespace Audiobook.Api.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName)
{
    /// <summary>The address and display name as stored; a password too weak (or too like the address) is refused.</summary>
    public (string? Email, string? DisplayName) Validate(FieldErrors errors)
    {
        var email = Credentials.CleanEmail(Email);
        if (email is null)
        {
            errors.Add("email", "A valid e-mail address is required.");
        }
        var displayName = errors.Field("displayName", DisplayName, User.MaxDisplayName, required: true);
        if (Credentials.PasswordProblem(Password, email) is { } weak)
        {
            errors.Add("password", weak);
        }
        return (email, displayName);
    }
}

public sealed record LoginRequest(string? Email, string? Password);

public sealed record AccountResponse(string Id, string Email, string DisplayName);

/// <summary>The sign-in answer: a short-lived access token and the refresh token that renews it (once).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record RefreshRequest(string? RefreshToken);
