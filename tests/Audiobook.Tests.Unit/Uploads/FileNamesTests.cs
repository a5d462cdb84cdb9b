using System.Text;
using Audiobook.Api.Uploads;

namespace Audiobook.Tests.Uploads;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("Chapter 1.M4A", "Chapter 1.m4a", ".m4a")]
    [InlineData("  spaced.mp4  ", "spaced.mp4", ".mp4")]
    [InlineData("../../etc/passwd.m4a", "passwd.m4a", ".m4a")]
    [InlineData("C:\\Users\\me\\Music\\track.m4a", "track.m4a", ".m4a")]
    [InlineData("tab\there.m4a", "tabhere.m4a", ".m4a")]
    [InlineData("evil\u202Egpj.m4a", "evilgpj.m4a", ".m4a")]
    [InlineData("trailing dots....", "trailing dots", "")]
    [InlineData("archive.tar.GZ", "archive.tar.gz", ".gz")]
    public void Names_are_cleaned(string raw, string name, string extension)
    {
        var normalized = FileNames.Normalize(raw);
        Assert.NotNull(normalized);
        Assert.Equal(name, normalized.Name);
        Assert.Equal(extension, normalized.Extension);
    }

    [Fact]
    public void Korean_names_from_macos_nfd_become_nfc()
    {
        var nfd = "\u1100\u1161\u11A8.m4a";
        var normalized = FileNames.Normalize(nfd)!;
        Assert.Equal("\uAC01.m4a", normalized.Name);
        Assert.True(normalized.Name.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../")]
    [InlineData(".m4a")]
    [InlineData("\u0000\u0001")]
    [InlineData("dir/")]
    public void Nameless_input_is_refused(string? raw) => Assert.Null(FileNames.Normalize(raw));

    [Fact]
    public void Long_names_are_cut_to_255_utf8_bytes_on_a_whole_character_keeping_the_extension()
    {
        var raw = string.Concat(Enumerable.Repeat("\uD55C\uAE00", 200)) + ".m4a";   // 3-byte Hangul syllables

        var normalized = FileNames.Normalize(raw)!;

        Assert.EndsWith(".m4a", normalized.Name, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(normalized.Name), 250, 255);
        Assert.DoesNotContain('\uFFFD', normalized.Name);
    }

    [Fact]
    public void Emoji_are_never_split()
    {
        var raw = string.Concat(Enumerable.Repeat("\uD83C\uDFA7", 100)) + ".m4a";   // 4-byte characters (surrogate pairs)
        var normalized = FileNames.Normalize(raw)!;
        Assert.True(Encoding.UTF8.GetByteCount(normalized.Name) <= 255);
        Assert.Equal(0, (normalized.Name.Length - ".m4a".Length) % 2);
    }

    [Fact]
    public void Lone_surrogates_do_not_survive()
    {
        var normalized = FileNames.Normalize("bad\uD800name.m4a")!;
        Assert.DoesNotContain('\uD800', normalized.Name);
    }
}
