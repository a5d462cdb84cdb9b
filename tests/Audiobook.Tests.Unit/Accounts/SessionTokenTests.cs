using Audiobook.Api.Accounts;

namespace Audiobook.Tests.Accounts;

public sealed class SessionTokenTests
{
    [Fact]
    public void A_new_refresh_token_parses_back_to_itself_and_its_hash_hides_the_secret()
    {
        var token = RefreshToken.New("0123456789abcdef0123456789abcdef");

        Assert.True(RefreshToken.TryParse(token.ToString(), out var parsed));
        Assert.Equal(token, parsed);
        Assert.DoesNotContain(token.Secret, token.Hash, StringComparison.Ordinal);
        Assert.NotEqual(token.Hash, RefreshToken.New(token.SessionId).Hash);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef.")]
    [InlineData("0123456789ABCDEF0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    public void Anything_else_is_not_a_refresh_token(string? value) =>
        Assert.False(RefreshToken.TryParse(value, out _));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(9, 16)]
    [InlineData(14, 512)]
    [InlineData(15, 900)]
    [InlineData(1_000_000, 900)]
    public void Sign_in_delays_double_after_the_free_attempts_up_to_the_maximum(int failures, int seconds)
    {
        var options = new SignInThrottleOptions();

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.DelayAfter(failures, options.FreeAttempts));
    }

    [Fact]
    public void A_key_id_names_one_key_and_reveals_nothing_of_it()
    {
        var key = new byte[32];
        var other = new byte[32];
        other[31] = 1;

        Assert.Equal(SigningKeys.KeyId(key), SigningKeys.KeyId(key.ToArray()));
        Assert.NotEqual(SigningKeys.KeyId(key), SigningKeys.KeyId(other));
        Assert.Equal(12, SigningKeys.KeyId(key).Length);
    }
}
