namespace Audiobook.Api.Media;

/// <summary>
/// Reads a playable file's markers, tags and cover location from the boxes <see cref="Movie"/> located,
/// each part on its own: a part that is broken, or would read too much, is dropped with its reason and
/// the others are kept.
/// </summary>
public static class Mp4MetadataReader
{
    public static async Task<Mp4Metadata> ReadAsync(BoxReader reader, Movie movie, Mp4Track audio, double? durationSeconds, CancellationToken ct)
    {
        var problems = new List<string>(movie.MetadataProblems);

        MarkerSet? nero = null, quickTime = null;
        if (durationSeconds is not { } duration)
        {
            if (movie.NeroChapters is not null || audio.ChapterTrackIds.Count > 0)
            {
                problems.Add("The file's duration is unknown, so its markers cannot be placed: left out.");
            }
        }
        else
        {
            if (movie.NeroChapters is { } chpl)
            {
                nero = await TryAsync(problems, "Nero markers (chpl)", async () =>
                    MarkerList.Normalize(MarkerSources.Nero, NeroChapters.Parse(await reader.ReadPayloadAsync(chpl, NeroChapters.MaxPayload, ct)), duration));
            }
            quickTime = await TryAsync(problems, "QuickTime markers (chapter track)", async () =>
                await QuickTimeChapters.ReadAsync(reader, movie, audio, ct) is { } raw ? MarkerList.Normalize(MarkerSources.QuickTime, raw, duration) : null);
        }
        foreach (var set in new[] { nero, quickTime }.OfType<MarkerSet>())
        {
            problems.AddRange(set.Problems.Select(p => $"{set.Source} markers: {p}"));
        }
        var chosen = MarkerList.Choose(nero, quickTime);

        ItunesTags.Result? tags = null;
        if (movie.Metadata is { } meta)
        {
            tags = await TryAsync<ItunesTags.Result>(problems, "tags (ilst)", async () => await ItunesTags.ReadAsync(reader, meta, ct));
            problems.AddRange(tags?.Problems ?? []);
        }
        return new Mp4Metadata(chosen?.Markers ?? [], chosen?.Source, tags?.Tags ?? Mp4Tags.None, audio.Language, tags?.Cover, problems);
    }

    private static async Task<T?> TryAsync<T>(List<string> problems, string part, Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is MalformedMp4Exception or ReadBudgetExceededException)
        {
            problems.Add($"The {part} could not be read: {ex.Message} Left out.");
            return null;
        }
    }
}
