using System.Net.Mail;
using Audiobook.Api.Http;

namespace Audiobook.Api.Accounts;

/// <summary>The rules for e-mail addresses and passwords, in one place.</summary>
public static class Credentials
{
    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations (ASP.NET Core Identity's V3 format): OWASP's recommendation for that
    /// hash (2023). A hash made with fewer is replaced at the owner's next sign-in.
    /// </summary>
    public const int PasswordHashIterations = 210_000;

    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;

    /// <summary>The address as typed (trimmed, NFC) if it is a plausible single address, else null.</summary>
    public static string? CleanEmail(string? input)
    {
        var email = Text.Clean(input);
        if (email is null || email.Length > 254 || Text.HasControlCharacters(email) || email.Any(char.IsWhiteSpace))
        {
            return null;
        }
        var at = email.LastIndexOf('@');
        if (at is <= 0 or > 64 || at == email.Length - 1 || email.IndexOf('@') != at || !email[(at + 1)..].Contains('.'))
        {
            return null;
        }
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email ? email : null;
    }

    /// <summary>Addresses are unique without regard to case.</summary>
    public static string EmailKey(string cleanEmail) => cleanEmail.ToLowerInvariant();

    /// <summary>Why the password is too weak, or null when it is acceptable (length over composition, as NIST 800-63B advises).</summary>
    public static string? PasswordProblem(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            return $"The password must be at least {MinPasswordLength} characters.";
        }
        if (password.Length > MaxPasswordLength)
        {
            return $"The password must be at most {MaxPasswordLength} characters.";
        }
        if (password.Distinct().Count() < 4)
        {
            return "The password repeats too few different characters.";
        }
        if (email is not null && password.Contains(email.Split('@')[0], StringComparison.OrdinalIgnoreCase) && email.Split('@')[0].Length >= 4)
        {
            return "The password must not contain the e-mail address.";
        }
        return null;
    }
}
