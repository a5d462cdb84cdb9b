namespace Audiobook.Api.Media;

/// <summary>A place inside one audio file that a player can jump to: a chapter of a single-file audiobook.</summary>
public sealed record ChapterMarker(string Title, double StartSeconds, double EndSeconds);

/// <summary>Where a file's markers were read from.</summary>
public static class MarkerSources
{
    /// <summary>The Nero <c>moov/udta/chpl</c> box (ffmpeg, Mp3tag; at most 255 entries as ffmpeg writes it).</summary>
    public const string Nero = "nero";

    /// <summary>The QuickTime chapter text track the audio track references with <c>tref/chap</c> (ffmpeg, Libation, Apple).</summary>
    public const string QuickTime = "quicktime";
}
