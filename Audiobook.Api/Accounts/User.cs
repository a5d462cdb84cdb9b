namespace Audiobook.Api.Accounts;

/// <summary>An account as stored: its profile and its password hash (never answered to a client: see <see cref="ToResponse"/>).</summary>
public sealed record User(string Id, string Email, string DisplayName, string PasswordHash, DateTimeOffset CreatedAt)
{
    public const int MaxDisplayName = 100;

    public AccountResponse ToResponse() => new(Id, Email, DisplayName);
}
