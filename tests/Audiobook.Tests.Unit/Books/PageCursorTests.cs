using Audiobook.Api.Accounts;
using Audiobook.Api.Books;
using Microsoft.Extensions.Options;

namespace Audiobook.Tests.Books;

public sealed class PageCursorTests
{
    private static PageCursor Cursors(byte fill = 7) =>
        new(Options.Create(new JwtOptions { SigningKey = Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray()) }));

    [Fact]
    public void A_cursor_decodes_for_its_owner_only()
    {
        var cursors = Cursors();
        var cursor = cursors.Encode("owner-1", "0123456789abcdef0123456789abcdef");

        Assert.Equal("0123456789abcdef0123456789abcdef", cursors.Decode("owner-1", cursor));
        Assert.Null(cursors.Decode("owner-2", cursor));
    }

    [Fact]
    public void Any_changed_character_is_detected()
    {
        var cursors = Cursors();
        var cursor = cursors.Encode("owner", "0123456789abcdef0123456789abcdef");
        for (var i = 0; i < cursor.Length; i++)
        {
            var changed = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            Assert.Null(cursors.Decode("owner", changed));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("AAAA")]
    public void Garbage_is_not_a_cursor(string cursor) => Assert.Null(Cursors().Decode("owner", cursor));

    [Fact]
    public void A_cursor_from_another_key_is_refused() =>
        Assert.Null(Cursors(8).Decode("owner", Cursors(7).Encode("owner", "0123456789abcdef0123456789abcdef")));
}
