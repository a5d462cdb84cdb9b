using System.Net.Http.Headers;
using Audiobook.Api.Streaming;

namespace Audiobook.Tests.Streaming;

public sealed class ContentDispositionTests
{
    [Theory]
    [InlineData("plain.m4a")]
    [InlineData("\uC81C 1\uC7A5.m4a")]
    [InlineData("quote \" and back\\slash.m4a")]
    [InlineData("100% done; really.m4a")]
    public void The_utf8_name_round_trips_through_filename_star(string name)
    {
        var header = ContentDisposition.Attachment(name);

        var parsed = ContentDispositionHeaderValue.Parse(header);
        Assert.Equal("attachment", parsed.DispositionType);
        Assert.Equal(name, parsed.FileNameStar);
    }

    [Fact]
    public void The_ascii_fallback_has_no_quotes_or_non_ascii()
    {
        var header = ContentDisposition.Attachment("\uC81C \"1\".m4a");
        Assert.StartsWith("attachment; filename=\"_ _1_.m4a\"; filename*=UTF-8''", header, StringComparison.Ordinal);
        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
    }
}
