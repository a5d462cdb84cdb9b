namespace Audiobook.Api.Media;

public enum Mp4Verdict
{
    /// <summary>An MP4/M4A with an audio track: playable as a chapter.</summary>
    Playable,

    /// <summary>Not an ISO BMFF file of the MP4 family (an MP3, a WAV, text...).</summary>
    NotMp4,

    /// <summary>DRM-protected (M4P): it cannot be played.</summary>
    Protected,

    /// <summary>MP4 on the outside but broken: truncated, boxes that do not fit, no moov.</summary>
    Malformed,

    /// <summary>A valid MP4 without any sound track.</summary>
    NoAudio,
}

/// <param name="DurationSeconds">From mvhd, or the fragments; null when it cannot be known, never a made-up 0.</param>
public sealed record Mp4Inspection(Mp4Verdict Verdict, string Reason, string? MajorBrand = null, double? DurationSeconds = null)
{
    /// <summary>
    /// The longest a chapter can plausibly last: a week. A header claiming more is a broken or crafted
    /// file (the duration is then unknown), and no position past it is a place in a chapter.
    /// </summary>
    public const double MaxDurationSeconds = 7 * 24 * 3600;

    /// <summary>Bytes fetched from storage to reach the verdict.</summary>
    public long BytesRead { get; init; }

    /// <summary>Markers, tags and cover of a playable file; none for any other.</summary>
    public Mp4Metadata Metadata { get; init; } = Mp4Metadata.None;

    public bool IsPlayable => Verdict == Mp4Verdict.Playable;
}
