using System.Text;
using Audiobook.Api.Http;

namespace Audiobook.Api.Media;

/// <summary>A marker as a file states it: a start, maybe an end, maybe a title. Nothing about it is trusted yet.</summary>
public readonly record struct RawMarker(string? Title, double StartSeconds, double? EndSeconds = null);

/// <summary>The markers of one source, made consistent, and what had to be fixed or refused to make them so.</summary>
public sealed record MarkerSet(string Source, IReadOnlyList<ChapterMarker> Markers, IReadOnlyList<string> Problems)
{
    public bool IsConsistent => Problems.Count == 0;
}

/// <summary>
/// Turns what a file says about its markers into a table of contents a player can rely on: sorted by
/// start, none at or past the end, none sharing a start, each ending where the next begins (the last at
/// the end of the file), titles cleaned like every text field, times in milliseconds.
/// </summary>
public static class MarkerList
{
    /// <summary>Far more than any book has (long ones have a few hundred); a file claiming more is refused whole.</summary>
    public const int MaxMarkers = 5000;

    public const int MaxTitleLength = 300;

    /// <summary>What a chapter's markers may take in its DynamoDB item (400 KB at most, with everything else).</summary>
    public const int MaxStoredBytes = 300 * 1024;

    /// <summary>A stored marker's bytes beside its title (the JSON property names and two times).</summary>
    private const int StoredBytesPerMarker = 56;

    public static MarkerSet Normalize(string source, IReadOnlyList<RawMarker> raw, double durationSeconds)
    {
        var problems = new List<string>();
        if (raw.Count > MaxMarkers)
        {
            return new MarkerSet(source, [], [$"{raw.Count} markers, more than the {MaxMarkers} kept: none kept."]);
        }
        var usable = raw.Where(m => double.IsFinite(m.StartSeconds) && m.StartSeconds >= 0).ToList();
        Note(problems, raw.Count - usable.Count, "without a valid start: left out");
        var inside = usable.Where(m => Round(m.StartSeconds) < Round(durationSeconds)).ToList();
        Note(problems, usable.Count - inside.Count, $"starting at or after the end ({Round(durationSeconds)} s): left out");
        for (var i = 1; i < inside.Count; i++)
        {
            if (inside[i].StartSeconds < inside[i - 1].StartSeconds)
            {
                problems.Add("The markers are out of order: sorted.");
                break;
            }
        }
        var sorted = inside.OrderBy(m => m.StartSeconds).ToList(); // stable: of two at one start, the first stated is kept
        var distinct = new List<RawMarker>(sorted.Count);
        foreach (var marker in sorted)
        {
            if (distinct.Count == 0 || Round(marker.StartSeconds) > Round(distinct[^1].StartSeconds))
            {
                distinct.Add(marker);
            }
        }
        Note(problems, sorted.Count - distinct.Count, "sharing a start with an earlier one: left out");
        var overlapping = distinct.Zip(distinct.Skip(1)).Count(pair => pair.First.EndSeconds > pair.Second.StartSeconds + 0.001);
        Note(problems, overlapping, "overlapping the next: each ends where the next begins");

        var markers = new List<ChapterMarker>(distinct.Count);
        var storedBytes = 0;
        for (var i = 0; i < distinct.Count; i++)
        {
            var title = Text.Sanitize(distinct[i].Title, MaxTitleLength) ?? $"Chapter {i + 1}";
            storedBytes += Encoding.UTF8.GetByteCount(title) + StoredBytesPerMarker;
            var end = i + 1 < distinct.Count ? distinct[i + 1].StartSeconds : durationSeconds;
            markers.Add(new ChapterMarker(title, Round(distinct[i].StartSeconds), Round(end)));
        }
        if (storedBytes > MaxStoredBytes)
        {
            return new MarkerSet(source, [], [.. problems, $"{markers.Count} markers need {storedBytes / 1024} KB, more than the {MaxStoredBytes / 1024} KB kept: none kept."]);
        }
        return new MarkerSet(source, markers, problems);
    }

    /// <summary>
    /// Of the sources a file has, the one to keep: a consistent set over one that had to be fixed, then
    /// the fuller one (ffmpeg's Nero list stops at 255), then QuickTime's (it states each marker's
    /// length and carries any text encoding).
    /// </summary>
    public static MarkerSet? Choose(params MarkerSet?[] sets) =>
        sets.OfType<MarkerSet>()
            .Where(s => s.Markers.Count > 0)
            .OrderByDescending(s => s.IsConsistent)
            .ThenByDescending(s => s.Markers.Count)
            .ThenByDescending(s => s.Source == MarkerSources.QuickTime)
            .FirstOrDefault();

    private static double Round(double seconds) => Math.Round(seconds, 3);

    private static void Note(List<string> problems, int count, string what)
    {
        if (count > 0)
        {
            problems.Add($"{count} marker{(count == 1 ? "" : "s")} {what}.");
        }
    }
}
