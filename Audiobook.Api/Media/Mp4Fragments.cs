namespace Audiobook.Api.Media;

/// <summary>
/// The end time of each track in a fragmented MP4, from its movie fragments: a fragment's track
/// runs start at tfdt (or where the previous fragment ended) and last the sum of their sample durations.
/// </summary>
public sealed class FragmentTimes
{
    private const int MaxMoofSize = 1024 * 1024;
    private readonly Dictionary<uint, ulong> ends = [];

    public double? DurationSeconds(Mp4Track track) =>
        ends.TryGetValue(track.Id, out var end) ? Mp4Time.Seconds(end, track.Timescale) : null;

    public async Task AddMoofAsync(BoxReader reader, Box moof, Movie movie, CancellationToken ct)
    {
        if (moof.Size > MaxMoofSize)
        {
            throw new MalformedMp4Exception($"A 'moof' box of {moof.Size} bytes is implausibly large.");
        }
        var bytes = new byte[moof.Size];
        await reader.ReadExactlyAsync(moof.Offset, bytes, ct);
        var local = new BoxReader(new MemoryByteSource(bytes));
        await foreach (var traf in local.ChildrenAsync(moof.HeaderSize, moof.Size, ct))
        {
            if (traf.Type == "traf")
            {
                await AddTrackFragmentAsync(local, traf, movie, ct);
            }
        }
    }

    /// <summary>Uses the mfra index at the end of the file to read only the last fragment of a track.</summary>
    public async Task AddLastFromIndexAsync(BoxReader reader, Movie movie, uint trackId, CancellationToken ct)
    {
        if (reader.Length < 16)
        {
            return;
        }
        var tail = new byte[16];
        await reader.ReadExactlyAsync(reader.Length - 16, tail, ct);
        var mfro = new PayloadReader(tail, "mfro");
        if (mfro.U32() != 16 || mfro.FourCC() != "mfro")
        {
            return;
        }
        mfro.Skip(4);
        var mfraSize = mfro.U32();
        if (mfraSize < 16 || mfraSize > reader.Length || mfraSize > MaxMoofSize)
        {
            return;
        }
        var mfra = await reader.ReadHeaderAsync(reader.Length - mfraSize, reader.Length, ct);
        if (mfra.Type != "mfra")
        {
            return;
        }
        ulong lastOffset = 0;
        await foreach (var tfra in reader.ChildrenAsync(mfra.PayloadOffset, mfra.End, ct))
        {
            if (tfra.Type != "tfra")
            {
                continue;
            }
            var p = new PayloadReader(await reader.ReadPayloadAsync(tfra, MaxMoofSize, ct), "tfra");
            var wide = p.U8() == 1;
            p.Skip(3);
            if (p.U32() != trackId)
            {
                continue;
            }
            var sizes = p.U32();
            int trafBytes = (int)((sizes >> 4) & 3) + 1, trunBytes = (int)((sizes >> 2) & 3) + 1, sampleBytes = (int)(sizes & 3) + 1;
            var entries = p.U32();
            for (var i = 0; i < entries; i++)
            {
                p.Sized(wide);
                lastOffset = Math.Max(lastOffset, p.Sized(wide));
                p.VarSized(trafBytes);
                p.VarSized(trunBytes);
                p.VarSized(sampleBytes);
            }
        }
        if (lastOffset == 0 || lastOffset >= (ulong)reader.Length)
        {
            return;
        }
        var moof = await reader.ReadHeaderAsync((long)lastOffset, reader.Length, ct);
        if (moof.Type == "moof")
        {
            await AddMoofAsync(reader, moof, movie, ct);
        }
    }

    private async Task AddTrackFragmentAsync(BoxReader local, Box traf, Movie movie, CancellationToken ct)
    {
        uint trackId = 0, defaultDuration = 0;
        ulong? baseTime = null;
        ulong total = 0;
        await foreach (var box in local.ChildrenAsync(traf.PayloadOffset, traf.End, ct))
        {
            var payload = await local.ReadPayloadAsync(box, MaxMoofSize, ct);
            switch (box.Type)
            {
                case "tfhd":
                    (trackId, defaultDuration) = ReadTrackFragmentHeader(payload, movie);
                    break;
                case "tfdt":
                    var t = new PayloadReader(payload, "tfdt");
                    var wide = t.U8() == 1;
                    t.Skip(3);
                    baseTime = t.Sized(wide);
                    break;
                case "trun":
                    total += SumRunDurations(payload, defaultDuration);
                    break;
            }
        }
        var start = baseTime ?? ends.GetValueOrDefault(trackId);
        ends[trackId] = Math.Max(ends.GetValueOrDefault(trackId), start + total);
    }

    private static (uint TrackId, uint DefaultDuration) ReadTrackFragmentHeader(byte[] payload, Movie movie)
    {
        var p = new PayloadReader(payload, "tfhd");
        p.Skip(1);
        var flags = p.U24();
        var trackId = p.U32();
        if ((flags & 0x1) != 0) p.Skip(8);   // base-data-offset
        if ((flags & 0x2) != 0) p.Skip(4);   // sample-description-index
        var defaultDuration = (flags & 0x8) != 0
            ? p.U32()
            : movie.Tracks.FirstOrDefault(t => t.Id == trackId)?.DefaultSampleDuration ?? 0;
        return (trackId, defaultDuration);
    }

    private static ulong SumRunDurations(byte[] payload, uint defaultDuration)
    {
        var p = new PayloadReader(payload, "trun");
        p.Skip(1);
        var flags = p.U24();
        var samples = p.U32();
        if ((flags & 0x1) != 0) p.Skip(4);   // data-offset
        if ((flags & 0x4) != 0) p.Skip(4);   // first-sample-flags
        if ((flags & 0x100) == 0)
        {
            return (ulong)samples * defaultDuration;
        }
        var perSample = 4 + ((flags & 0x200) != 0 ? 4 : 0) + ((flags & 0x400) != 0 ? 4 : 0) + ((flags & 0x800) != 0 ? 4 : 0);
        if ((ulong)samples * (ulong)perSample > (ulong)p.Remaining)
        {
            throw new MalformedMp4Exception("A 'trun' box lists more samples than it holds.");
        }
        ulong total = 0;
        for (var i = 0; i < samples; i++)
        {
            total += p.U32();
            p.Skip(perSample - 4);
        }
        return total;
    }
}
