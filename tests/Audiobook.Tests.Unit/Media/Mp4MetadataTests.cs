using System.Text.Json;
using Audiobook.Api.Http;
using Audiobook.Api.Media;

namespace Audiobook.Tests.Media;

/// <summary>Markers, tags and cover of real single-file audiobooks made with ffmpeg (tests/Audiobook.Testing/Media/Samples/make-samples.sh).</summary>
public sealed class Mp4MetadataTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<Mp4Inspection> Inspect(string sample)
    {
        var result = await Mp4Inspector.InspectAsync(new MemoryByteSource(Mp4Samples.Read(sample)), Token);
        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        return result;
    }

    private static readonly string[] ThreeTitles = ["Prologue — Unter den Linden", "Kapitel 1: Straße", "Épilogue 終わり"];

    [Theory]
    [InlineData("book-both-markers.m4a", MarkerSources.QuickTime)]
    [InlineData("book-quicktime-markers.m4a", MarkerSources.QuickTime)]
    [InlineData("book-nero-markers.m4a", MarkerSources.Nero)]
    public async Task Markers_are_read_from_whichever_list_the_file_has(string sample, string source)
    {
        var metadata = (await Inspect(sample)).Metadata;

        Assert.Equal(source, metadata.MarkerSource);
        Assert.Equal(ThreeTitles, metadata.Markers.Select(m => m.Title));
        Assert.Equal([0, 3, 6], metadata.Markers.Select(m => m.StartSeconds));
        Assert.Equal([3, 6], metadata.Markers.Take(2).Select(m => m.EndSeconds));
        Assert.InRange(metadata.Markers[^1].EndSeconds, 9.0, 9.1);
        Assert.Empty(metadata.Problems);
    }

    [Theory]
    [InlineData("book-both-markers.m4a", "image/jpeg")]
    [InlineData("book-quicktime-markers.m4a", "image/png")]
    public async Task Tags_language_and_cover_are_read(string sample, string coverType)
    {
        var file = Mp4Samples.Read(sample);
        var metadata = (await Inspect(sample)).Metadata;

        Assert.Equal(new Mp4Tags(
            Title: "Die Verwandlung (Ungekürzt)", Artist: "Zoë Ångström", AlbumArtist: "Zoë Ångström", Album: "Die Verwandlung",
            Narrator: "Jürgen Müller", Year: "1915", Genre: "Hörbuch",
            Description: "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte… 変身", Comment: "Made by make-samples.sh"), metadata.Tags);
        Assert.Equal("de", metadata.Language);
        var cover = Assert.IsType<EmbeddedCover>(metadata.Cover);
        Assert.Equal(coverType, cover.ContentType);
        Assert.Equal(coverType, ImageFormats.Detect(file.AsSpan((int)cover.Offset, cover.Length)));
        var image = file.AsSpan((int)cover.Offset, cover.Length);
        Assert.True(coverType == "image/png" ? image.EndsWith(new byte[] { 0xAE, 0x42, 0x60, 0x82 }) : image.EndsWith(new byte[] { 0xFF, 0xD9 }),
            "The located cover ends where the image ends.");
    }

    [Fact]
    public async Task The_fuller_list_wins_when_the_nero_one_stops_at_255()
    {
        var metadata = (await Inspect("book-many-markers.m4a")).Metadata;

        Assert.Equal(MarkerSources.QuickTime, metadata.MarkerSource);
        Assert.Equal(1500, metadata.Markers.Count);
        Assert.Equal("Teil 1500", metadata.Markers[^1].Title);
        Assert.Equal(149.9, metadata.Markers[^1].StartSeconds);
        Assert.True(metadata.Markers.Zip(metadata.Markers.Skip(1)).All(p => p.First.EndSeconds == p.Second.StartSeconds && p.First.StartSeconds < p.Second.StartSeconds));
        var stored = JsonSerializer.SerializeToUtf8Bytes(metadata.Markers, AppJsonContext.Default.IReadOnlyListChapterMarker);
        Assert.InRange(stored.Length, 1, MarkerList.MaxStoredBytes);
    }

    [Fact]
    public async Task A_file_without_metadata_has_none()
    {
        var metadata = (await Inspect("faststart.m4a")).Metadata;

        Assert.Empty(metadata.Markers);
        Assert.Null(metadata.MarkerSource);
        Assert.True(metadata.Tags.IsEmpty || metadata.Tags.Title is null);
        Assert.Null(metadata.Cover);
    }

    [Fact]
    public async Task A_2_GB_book_with_its_moov_at_the_end_is_read_from_its_ends_only()
    {
        var file = Audiobook.Load.PaddedMp4.MoovAtEnd(Mp4Samples.Read("book-many-markers.m4a"), 2_000_000_000);

        var result = await Mp4Inspector.InspectAsync(file, Token);

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.Equal(1500, result.Metadata.Markers.Count);
        Assert.InRange(result.BytesRead, 1, Mp4Inspector.MostBytesFetched(Mp4Inspector.DefaultReadBudget));
    }
}
