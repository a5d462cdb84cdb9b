namespace Audiobook.Api.Media;

/// <summary>One track of a movie: its id, handler ('soun' for audio) and media timescale/duration.</summary>
public sealed record Mp4Track(uint Id, string Handler, uint Timescale, ulong Duration, uint DefaultSampleDuration)
{
    public double? DurationSeconds => Mp4Time.Seconds(Duration, Timescale);
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

    public double? DurationSeconds =>
        Mp4Time.Seconds(Duration, Timescale) ?? Mp4Time.Seconds(FragmentDuration, Timescale);

    public static async Task<Movie> ReadAsync(BoxReader reader, Box moov, CancellationToken ct)
    {
        var movie = new Movie();
        var trexDurations = new Dictionary<uint, uint>();
        var tracks = new List<(uint Id, string Handler, uint Timescale, ulong Duration)>();
        await foreach (var child in reader.ChildrenAsync(moov.PayloadOffset, moov.End, ct))
        {
            switch (child.Type)
            {
                case "mvhd":
                    (movie.Timescale, movie.Duration) = ReadTimescaleAndDuration(await reader.ReadPayloadAsync(child, 32, ct), "mvhd");
                    break;
                case "trak":
                    tracks.Add(await ReadTrackAsync(reader, child, ct));
                    break;
                case "mvex":
                    movie.Fragmented = true;
                    await ReadMovieExtendsAsync(reader, child, movie, trexDurations, ct);
                    break;
            }
        }
        if (movie.Timescale == 0)
        {
            throw new MalformedMp4Exception("The 'moov' box has no valid 'mvhd' header.");
        }
        movie.Tracks.AddRange(tracks.Select(t => new Mp4Track(t.Id, t.Handler, t.Timescale, t.Duration, trexDurations.GetValueOrDefault(t.Id))));
        return movie;
    }

    private static async Task<(uint, string, uint, ulong)> ReadTrackAsync(BoxReader reader, Box trak, CancellationToken ct)
    {
        uint id = 0, timescale = 0;
        ulong duration = 0;
        var handler = "";
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
            else if (child.Type == "mdia")
            {
                await foreach (var media in reader.ChildrenAsync(child.PayloadOffset, child.End, ct))
                {
                    if (media.Type == "mdhd")
                    {
                        (timescale, duration) = ReadTimescaleAndDuration(await reader.ReadPayloadAsync(media, 32, ct), "mdhd");
                    }
                    else if (media.Type == "hdlr")
                    {
                        var p = new PayloadReader(await reader.ReadPayloadAsync(media, 12, ct), "hdlr");
                        p.Skip(8);
                        handler = p.FourCC();
                    }
                }
            }
        }
        return (id, handler, timescale, duration);
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
