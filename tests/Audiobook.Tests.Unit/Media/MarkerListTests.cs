using Audiobook.Api.Media;

namespace Audiobook.Tests.Media;

public sealed class MarkerListTests
{
    [Fact]
    public void Overlapping_markers_end_where_the_next_begins()
    {
        var set = MarkerList.Normalize(MarkerSources.QuickTime, [new("A", 0, 50), new("B", 10, 30), new("C", 20)], 40);

        Assert.Equal([(0.0, 10.0), (10.0, 20.0), (20.0, 40.0)], set.Markers.Select(m => (m.StartSeconds, m.EndSeconds)));
        Assert.Contains(set.Problems, p => p.Contains("overlapping", StringComparison.Ordinal));
        Assert.False(set.IsConsistent);
    }

    [Fact]
    public void Titles_are_cleaned_and_missing_ones_numbered()
    {
        var set = MarkerList.Normalize(MarkerSources.Nero, [new("  Cafe\u0301\u202E\u0007 ", 0), new(null, 1), new("", 2), new(new string('x', 400), 3)], 4);

        Assert.Equal(["Café", "Chapter 2", "Chapter 3", new string('x', MarkerList.MaxTitleLength)], set.Markers.Select(m => m.Title));
        Assert.True(set.IsConsistent);
    }

    [Fact]
    public void Invalid_starts_are_left_out()
    {
        var set = MarkerList.Normalize(MarkerSources.Nero, [new("A", double.NaN), new("B", -1), new("C", double.PositiveInfinity), new("D", 0)], 4);

        Assert.Equal(["D"], set.Markers.Select(m => m.Title));
        Assert.Contains("3 markers without a valid start: left out.", set.Problems);
    }

    [Fact]
    public void More_markers_than_kept_are_refused_whole()
    {
        var many = Enumerable.Range(0, MarkerList.MaxMarkers + 1).Select(i => new RawMarker($"M{i}", i)).ToList();

        var set = MarkerList.Normalize(MarkerSources.QuickTime, many, MarkerList.MaxMarkers + 1);

        Assert.Empty(set.Markers);
        Assert.Single(set.Problems);
    }

    [Fact]
    public void Markers_too_large_to_store_are_refused_whole()
    {
        var wordy = Enumerable.Range(0, 2000).Select(i => new RawMarker(new string('w', 290), i)).ToList();

        var set = MarkerList.Normalize(MarkerSources.QuickTime, wordy, 2000);

        Assert.Empty(set.Markers);
        Assert.Contains(set.Problems, p => p.Contains("KB kept", StringComparison.Ordinal));
    }

    [Fact]
    public void A_consistent_list_beats_a_repaired_one_then_the_fuller_wins_then_quicktime()
    {
        var three = MarkerList.Normalize(MarkerSources.Nero, [new("A", 0), new("B", 1), new("C", 2)], 3);
        var repaired = MarkerList.Normalize(MarkerSources.QuickTime, [new("A", 0), new("B", 1), new("C", 2), new("D", 2.5), new("E", 9)], 3);
        var four = MarkerList.Normalize(MarkerSources.QuickTime, [new("A", 0), new("B", 1), new("C", 2), new("D", 2.5)], 3);
        var threeQuickTime = MarkerList.Normalize(MarkerSources.QuickTime, [new("A", 0), new("B", 1), new("C", 2)], 3);

        Assert.Same(three, MarkerList.Choose(three, repaired));
        Assert.Same(four, MarkerList.Choose(three, four));
        Assert.Same(threeQuickTime, MarkerList.Choose(three, threeQuickTime));
        Assert.Null(MarkerList.Choose(null, MarkerList.Normalize(MarkerSources.Nero, [], 3)));
    }
}
