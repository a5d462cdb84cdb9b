namespace Audiobook.Api.Media;

/// <summary>
/// What an audio file says about itself beyond being playable: its chapter markers (and which of the
/// file's two marker lists they came from), its tags, its language and where its cover is. Anything
/// broken in it is left out and said in <see cref="Problems"/>; the audio is judged without it.
/// </summary>
public sealed record Mp4Metadata(
    IReadOnlyList<ChapterMarker> Markers,
    string? MarkerSource,
    Mp4Tags Tags,
    string? Language,
    EmbeddedCover? Cover,
    IReadOnlyList<string> Problems)
{
    public static readonly Mp4Metadata None = new([], null, Mp4Tags.None, null, null, []);
}
