namespace Audiobook.Api.Media;

/// <summary>One track of a movie: its id, handler ('soun' for audio) and media timescale/duration.</summary>
public sealed record Mp4Track(uint Id, string Handler, uint Timescale, ulong Duration, uint DefaultSampleDuration)
{
    public double? DurationSeconds => Mp4Time.Seconds(Duration, Timescale);

    /// <summary>The mdhd language (ISO 639-2, e.g. "eng"), or null when unstated ("und").</summary>
    public string? Language { get; init; }

    /// <summary>The tracks its tref/chap names: QuickTime chapter text tracks.</summary>
    public IReadOnlyList<uint> ChapterTrackIds { get; init; } = [];

    /// <summary>Where its sample table (mdia/minf/stbl) is: located only, read when needed.</summary>
    public Box? SampleTable { get; init; }
}

/// <summary>What the 'moov' box says: movie timescale and duration, tracks, and whether it is fragmented.</summary>
public sealed class Movie
{
    public uint Timescale { get; private set; }

    public ulong Duration { get; private set; }

    /// <summary>mvex present: the samples live in movie fragments (moof) after the moov.</summary>
    public bool Fragmented { get; private set; }

    /// <summary>mehd: the whole fragmented movie's duration, when the writer knew it.</summary>
    public ulong FragmentDuration { get; private set; }

    public List<Mp4Track> Tracks { get; } = [];

    /// <summary>The Nero chapter list, moov/udta/chpl, located only.</summary>
    public Box? NeroChapters { get; private set; }

    /// <summary>The iTunes metadata box, moov/udta/meta (or moov/meta), located only.</summary>
    public Box? Metadata { get; private set; }

    /// <summary>Boxes that only describe the audio (user data, chapter references) and could not be read: the audio is fine without them.</summary>
    public List<string> MetadataProblems { get; } = [];

    public double? DurationSeconds =>
        Mp4Time.Seconds(Duration, Timescale) ?? Mp4Time.Seconds(FragmentDuration, Timescale);

    public static async Task<Movie> ReadAsync(BoxReader reader, Box moov, CancellationToken ct)
    {
        var movie = new Movie();
        var trexDurations = new Dictionary<uint, uint>();
        var tracks = new List<Mp4Track>();
        await foreach (var child in reader.ChildrenAsync(moov.PayloadOffset, moov.End, ct))
        {
            switch (child.Type)
            {
                case "mvhd":
                    (movie.Timescale, movie.Duration) = ReadTimescaleAndDuration(await reader.ReadPayloadAsync(child, 32, ct), "mvhd");
                    break;
                case "trak":
                    tracks.Add(await ReadTrackAsync(reader, child, movie.MetadataProblems, ct));
                    break;
                case "mvex":
                    movie.Fragmented = true;
                    await ReadMovieExtendsAsync(reader, child, movie, trexDurations, ct);
                    break;
                case "meta":
                    movie.Metadata ??= child;
                    break;
                case "udta":
                    try
                    {
                        await foreach (var data in reader.ChildrenAsync(child.PayloadOffset, child.End, ct))
                        {
                            if (data.Type == "chpl")
                            {
                                movie.NeroChapters ??= data;
                            }
                            else if (data.Type == "meta")
                            {
                                movie.Metadata = data;
                            }
                        }
                    }
                    catch (MalformedMp4Exception ex)
                    {
                        movie.MetadataProblems.Add($"The user data (udta) could not be read: {ex.Message}");
                    }
                    break;
            }
        }
        if (movie.Timescale == 0)
        {
            throw new MalformedMp4Exception("The 'moov' box has no valid 'mvhd' header.");
        }
        movie.Tracks.AddRange(tracks.Select(t => t with { DefaultSampleDuration = trexDurations.GetValueOrDefault(t.Id) }));
        return movie;
    }

    private static async Task<Mp4Track> ReadTrackAsync(BoxReader reader, Box trak, List<string> problems, CancellationToken ct)
    {
        uint id = 0, timescale = 0;
        ulong duration = 0;
        var handler = "";
        string? language = null;
        Box? sampleTable = null;
        List<uint> chapterTracks = [];
        await foreach (var child in reader.ChildrenAsync(trak.PayloadOffset, trak.End, ct))
        {
            if (child.Type == "tkhd")
            {
                var p = new PayloadReader(await reader.ReadPayloadAsync(child, 32, ct), "tkhd");
                var wide = p.U8() == 1;
                p.Skip(3);
                p.Sized(wide);
                p.Sized(wide);
                id = p.U32();
            }
            else if (child.Type == "tref")
            {
                try
                {
                    chapterTracks = await ReadChapterReferencesAsync(reader, child, ct);
                }
                catch (MalformedMp4Exception ex)
                {
                    problems.Add($"A track's references (tref) could not be read: {ex.Message}");
                }
            }
            else if (child.Type == "mdia")
            {
                await foreach (var media in reader.ChildrenAsync(child.PayloadOffset, child.End, ct))
                {
                    if (media.Type == "mdhd")
                    {
                        var payload = await reader.ReadPayloadAsync(media, 36, ct);
                        (timescale, duration) = ReadTimescaleAndDuration(payload, "mdhd");
                        language = Mp4Language.FromMdhd(payload);
                    }
                    else if (media.Type == "hdlr")
                    {
                        var p = new PayloadReader(await reader.ReadPayloadAsync(media, 12, ct), "hdlr");
                        p.Skip(8);
                        handler = p.FourCC();
                    }
                    else if (media.Type == "minf" && handler is "text" or "sbtl")
                    {
                        // Only a chapter text track's samples are ever read: an audio track's table is not even located.
                        try
                        {
                            await foreach (var info in reader.ChildrenAsync(media.PayloadOffset, media.End, ct))
                            {
                                if (info.Type == "stbl")
                                {
                                    sampleTable = info;
                                }
                            }
                        }
                        catch (MalformedMp4Exception ex)
                        {
                            problems.Add($"A track's media information (minf) could not be read: {ex.Message}");
                        }
                    }
                }
            }
        }
        return new Mp4Track(id, handler, timescale, duration, 0) { Language = language, ChapterTrackIds = chapterTracks, SampleTable = sampleTable };
    }

    /// <summary>tref/chap: the ids of the tracks holding this track's chapter titles.</summary>
    private static async Task<List<uint>> ReadChapterReferencesAsync(BoxReader reader, Box tref, CancellationToken ct)
    {
        var ids = new List<uint>();
        await foreach (var reference in reader.ChildrenAsync(tref.PayloadOffset, tref.End, ct))
        {
            if (reference.Type == "chap")
            {
                var p = new PayloadReader(await reader.ReadPayloadAsync(reference, 64, ct), "chap");
                while (p.Remaining >= 4)
                {
                    ids.Add(p.U32());
                }
            }
        }
        return ids;
    }

    private static async Task ReadMovieExtendsAsync(BoxReader reader, Box mvex, Movie movie, Dictionary<uint, uint> trexDurations, CancellationToken ct)
    {
        await foreach (var child in reader.ChildrenAsync(mvex.PayloadOffset, mvex.End, ct))
        {
            if (child.Type == "mehd")
            {
                var p = new PayloadReader(await reader.ReadPayloadAsync(child, 12, ct), "mehd");
                var wide = p.U8() == 1;
                p.Skip(3);
                movie.FragmentDuration = p.Sized(wide);
            }
            else if (child.Type == "trex")
            {
                var p = new PayloadReader(await reader.ReadPayloadAsync(child, 16, ct), "trex");
                p.Skip(4);
                var trackId = p.U32();
                p.Skip(4);
                trexDurations[trackId] = p.U32();
            }
        }
    }

    /// <summary>mvhd and mdhd share the layout up to the duration (version 0: 32-bit times, 1: 64-bit).</summary>
    private static (uint Timescale, ulong Duration) ReadTimescaleAndDuration(byte[] payload, string type)
    {
        var p = new PayloadReader(payload, type);
        var wide = p.U8() == 1;
        p.Skip(3);
        p.Sized(wide);
        p.Sized(wide);
        var timescale = p.U32();
        var duration = p.Sized(wide);
        // All ones means "unknown" in both versions.
        if (duration == (wide ? ulong.MaxValue : uint.MaxValue))
        {
            duration = 0;
        }
        return (timescale, duration);
    }
}

internal static class Mp4Time
{
    public static double? Seconds(ulong units, uint timescale) =>
        units == 0 || timescale == 0 ? null : (double)units / timescale;
}
