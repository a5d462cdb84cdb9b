using System.Text;

namespace Audiobook.Api.Media;

/// <summary>
/// QuickTime chapters: the audio track names a text track (<c>tref/chap</c>) whose samples are the
/// markers — each sample's time and length from the track's sample table, its title a 16-bit length
/// and text (UTF-8, or UTF-16 after a byte-order mark) read by range from where the sample lies.
/// </summary>
public static class QuickTimeChapters
{
    /// <summary>A title is read up to this many bytes (it is kept to 300 characters anyway).</summary>
    private const int MaxTitleBytes = 1200;

    /// <summary>The markers, or null when the audio track names no chapter track; a broken track throws with the reason.</summary>
    public static async Task<List<RawMarker>?> ReadAsync(BoxReader reader, Movie movie, Mp4Track audio, CancellationToken ct)
    {
        if (audio.ChapterTrackIds.Count == 0)
        {
            return null;
        }
        var id = audio.ChapterTrackIds[0];
        var track = movie.Tracks.FirstOrDefault(t => t.Id == id)
            ?? throw new MalformedMp4Exception($"The audio track names chapter track {id}, which the file does not have.");
        if (track.Handler is not ("text" or "sbtl"))
        {
            throw new MalformedMp4Exception($"Chapter track {id} is a '{track.Handler}' track, not a text track.");
        }
        if (track.SampleTable is not { } stbl || track.Timescale == 0)
        {
            throw new MalformedMp4Exception($"Chapter track {id} has no sample table or time scale.");
        }

        List<(uint Count, uint Delta)>? times = null;
        List<(uint FirstChunk, uint SamplesPerChunk)>? chunking = null;
        List<uint>? sizes = null;
        List<long>? chunkOffsets = null;
        await foreach (var box in reader.ChildrenAsync(stbl.PayloadOffset, stbl.End, ct))
        {
            switch (box.Type)
            {
                case "stts":
                    times = await ReadTableAsync(reader, box, 8, (ref p) => (p.U32(), p.U32()), ct);
                    break;
                case "stsc":
                    chunking = await ReadTableAsync(reader, box, 12, (ref p) =>
                    {
                        var first = p.U32();
                        var perChunk = p.U32();
                        p.Skip(4);
                        return (first, perChunk);
                    }, ct);
                    break;
                case "stsz":
                    sizes = await ReadSizesAsync(reader, box, ct);
                    break;
                case "stco":
                    chunkOffsets = await ReadTableAsync(reader, box, 4, (ref p) => (long)p.U32(), ct);
                    break;
                case "co64":
                    chunkOffsets = await ReadTableAsync(reader, box, 8, (ref p) => (long)Math.Min(p.U64(), (ulong)long.MaxValue), ct);
                    break;
                case "stz2":
                    throw new MalformedMp4Exception($"Chapter track {id} uses compact sample sizes (stz2), which are not read.");
            }
        }
        if (times is null || chunking is null || sizes is null || chunkOffsets is null)
        {
            throw new MalformedMp4Exception($"Chapter track {id}'s sample table lacks stts, stsc, stsz or stco.");
        }
        if (times.Sum(t => (long)t.Count) != sizes.Count)
        {
            throw new MalformedMp4Exception($"Chapter track {id} times {times.Sum(t => (long)t.Count)} samples but sizes {sizes.Count}.");
        }

        var markers = new List<RawMarker>(sizes.Count);
        var sample = 0;
        var timing = Timing(times).GetEnumerator();
        foreach (var (offset, size) in Locate(chunking, chunkOffsets, sizes, id))
        {
            timing.MoveNext();
            var (start, length) = timing.Current;
            var title = await ReadTitleAsync(reader, offset, size, ct);
            markers.Add(new RawMarker(title, (double)start / track.Timescale, (double)(start + length) / track.Timescale));
            sample++;
        }
        if (sample != sizes.Count)
        {
            throw new MalformedMp4Exception($"Chapter track {id}'s chunks hold {sample} of its {sizes.Count} samples.");
        }
        return markers;
    }

    private static IEnumerable<(ulong Start, ulong Length)> Timing(List<(uint Count, uint Delta)> times)
    {
        ulong time = 0;
        foreach (var (count, delta) in times)
        {
            for (var i = 0u; i < count; i++)
            {
                yield return (time, delta);
                time += delta;
            }
        }
    }

    /// <summary>Each sample's offset and size, chunk by chunk as stsc lays them out.</summary>
    private static IEnumerable<(long Offset, uint Size)> Locate(
        List<(uint FirstChunk, uint SamplesPerChunk)> chunking, List<long> chunkOffsets, List<uint> sizes, uint id)
    {
        var sample = 0;
        for (var entry = 0; entry < chunking.Count && sample < sizes.Count; entry++)
        {
            var first = chunking[entry].FirstChunk;
            var last = entry + 1 < chunking.Count ? chunking[entry + 1].FirstChunk - 1 : (uint)chunkOffsets.Count;
            if (first < 1 || last > chunkOffsets.Count || first > last + 1)
            {
                throw new MalformedMp4Exception($"Chapter track {id}'s stsc names chunks its stco does not have.");
            }
            for (var chunk = first; chunk <= last && sample < sizes.Count; chunk++)
            {
                var offset = chunkOffsets[(int)chunk - 1];
                for (var i = 0u; i < chunking[entry].SamplesPerChunk && sample < sizes.Count; i++)
                {
                    yield return (offset, sizes[sample]);
                    offset += sizes[sample];
                    sample++;
                }
            }
        }
    }

    private static async Task<string?> ReadTitleAsync(BoxReader reader, long offset, uint size, CancellationToken ct)
    {
        if (size < 2)
        {
            return null;
        }
        var buffer = new byte[(int)Math.Min(size, 2 + MaxTitleBytes)];
        await reader.ReadExactlyAsync(offset, buffer, ct);
        var length = Math.Min((buffer[0] << 8) | buffer[1], buffer.Length - 2);
        var text = buffer.AsSpan(2, length);
        return text switch
        {
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode.GetString(text[2..]),
            [0xFF, 0xFE, ..] => Encoding.Unicode.GetString(text[2..]),
            _ => Encoding.UTF8.GetString(text),
        };
    }

    private delegate T EntryReader<T>(ref PayloadReader payload);

    private static async Task<List<T>> ReadTableAsync<T>(BoxReader reader, Box box, int entrySize, EntryReader<T> read, CancellationToken ct)
    {
        var header = new PayloadReader(await reader.ReadPayloadAsync(box, 8, ct), box.Type);
        header.Skip(4);
        var count = header.U32();
        if (count > MarkerList.MaxMarkers)
        {
            throw new MalformedMp4Exception($"The chapter track's {box.Type} has {count} entries, more than the {MarkerList.MaxMarkers} markers kept.");
        }
        var p = new PayloadReader(await reader.ReadPayloadAsync(box, 8 + (int)count * entrySize, ct), box.Type);
        p.Skip(8);
        var entries = new List<T>((int)count);
        for (var i = 0; i < count; i++)
        {
            entries.Add(read(ref p));
        }
        return entries;
    }

    private static async Task<List<uint>> ReadSizesAsync(BoxReader reader, Box stsz, CancellationToken ct)
    {
        var header = new PayloadReader(await reader.ReadPayloadAsync(stsz, 12, ct), "stsz");
        header.Skip(4);
        var fixedSize = header.U32();
        var count = header.U32();
        if (count > MarkerList.MaxMarkers)
        {
            throw new MalformedMp4Exception($"The chapter track has {count} samples, more than the {MarkerList.MaxMarkers} markers kept.");
        }
        if (fixedSize != 0)
        {
            return [.. Enumerable.Repeat(fixedSize, (int)count)];
        }
        var p = new PayloadReader(await reader.ReadPayloadAsync(stsz, 12 + (int)count * 4, ct), "stsz");
        p.Skip(12);
        var sizes = new List<uint>((int)count);
        for (var i = 0; i < count; i++)
        {
            sizes.Add(p.U32());
        }
        return sizes;
    }
}
