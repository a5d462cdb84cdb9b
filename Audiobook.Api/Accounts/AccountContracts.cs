namespace Audiobook.Api.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record AccountResponse(string Id, string Email, string DisplayName);

/// <summary>The sign-in answer: a short-lived access token and the refresh token that renews it (once).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record User(string Id, string Email, string DisplayName, string PasswordHash, DateTimeOffset CreatedAt)
{
    public AccountResponse ToResponse() => new(Id, Email, DisplayName);
}
