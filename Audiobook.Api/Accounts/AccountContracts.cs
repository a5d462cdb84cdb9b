namespace Audiobook.Api.Accounts;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record AccountResponse(string Id, string Email, string DisplayName);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed record User(string Id, string Email, string DisplayName, string PasswordHash, DateTimeOffset CreatedAt)
{
    public AccountResponse ToResponse() => new(Id, Email, DisplayName);
}
