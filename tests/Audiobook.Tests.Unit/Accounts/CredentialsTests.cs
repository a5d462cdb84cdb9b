using Audiobook.Api.Accounts;

namespace Audiobook.Tests.Accounts;

public sealed class CredentialsTests
{
    [Theory]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("  Ada.Lovelace@Example.COM ", "Ada.Lovelace@Example.COM")]
    public void Plausible_addresses_are_kept_as_typed(string input, string expected) => Assert.Equal(expected, Credentials.CleanEmail(input));

    [Theory]
    [InlineData("plain")]
    [InlineData("a@b")]
    [InlineData("a@@b.com")]
    [InlineData("a b@c.com")]
    [InlineData("Name <a@b.com>")]
    [InlineData("a@b\u0000.com")]
    public void Implausible_addresses_are_refused(string input) => Assert.Null(Credentials.CleanEmail(input));

    [Fact]
    public void Uniqueness_ignores_case() => Assert.Equal(Credentials.EmailKey("Ada@Example.com"), Credentials.EmailKey("ada@EXAMPLE.com"));

    [Theory]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaa")]
    [InlineData("ababababababab")]
    [InlineData("lovelace-secret", "lovelace@example.com")]
    public void Weak_passwords_are_explained(string password, string? email = null) => Assert.NotNull(Credentials.PasswordProblem(password, email));

    [Fact]
    public void A_long_passphrase_is_fine() => Assert.Null(Credentials.PasswordProblem("correct horse battery staple", "ada@example.com"));
}
