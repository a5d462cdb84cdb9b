using System.Collections.Frozen;

namespace Audiobook.Api.Media;

/// <summary>
/// Decides whether stored bytes are a playable MP4/M4A and how long they play, reading only box
/// headers and the few small boxes it needs (ftyp, mvhd, tkhd, mdhd, hdlr, mehd, trex, moof, mfra)
/// through ranged reads — the moov may sit at the end of a 2 GiB file. Of a playable file it then
/// reads the markers, tags and cover location (<see cref="Mp4MetadataReader"/>), on a budget of their own.
/// </summary>
public static class Mp4Inspector
{
    /// <summary>Brands of the MP4 family (ISO/IEC 14496-12/14 and Apple's audio brands).</summary>
    public static readonly FrozenSet<string> PlayableBrands = new[]
    {
        "M4A ", "M4B ", "M4V ", "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "mp71", "avc1", "dash", "cmfc", "cmf2", "f4a ", "F4A ", "f4v ", "MSNV", "3gp4", "3gp5", "3gp6",
    }.ToFrozenSet(StringComparer.Ordinal);

    public const string ProtectedBrand = "M4P ";

    /// <summary>The budget the API inspects with: box headers and the small boxes of a 2 GiB file take far less.</summary>
    public const long DefaultReadBudget = 1024 * 1024;

    /// <summary>Once the walk hit the budget, the mfra index and the last fragment may take twice the budget more (2 MiB by default).</summary>
    private const int MfraAllowanceFactor = 2;

    /// <summary>
    /// Markers and tags may take the budget once more (1 MiB by default): a 5,000-marker chapter track's
    /// tables and titles, and tags with a long description, in 16 KiB blocks. The cover is only located.
    /// </summary>
    private const int MetadataAllowanceFactor = 1;

    /// <summary>The most an inspection with <paramref name="readBudget"/> fetches, whatever the file: the budget and its two allowances.</summary>
    public static long MostBytesFetched(long readBudget) => readBudget * (1 + MfraAllowanceFactor + MetadataAllowanceFactor);

    /// <summary>Reads never exceed <see cref="MostBytesFetched"/> of <paramref name="readBudget"/>.</summary>
    public static async Task<Mp4Inspection> InspectAsync(
        IByteSource source,
        CancellationToken cancellationToken,
        int blockSize = 16 * 1024,
        long readBudget = DefaultReadBudget)
    {
        var cached = new BlockCachedByteSource(source, blockSize, readBudget);
        Mp4Inspection result;
        try
        {
            result = await InspectCoreAsync(new BoxReader(cached), cached, readBudget, cancellationToken);
        }
        catch (Exception ex) when (ex is MalformedMp4Exception or ReadBudgetExceededException)
        {
            result = new Mp4Inspection(Mp4Verdict.Malformed, ex.Message);
        }
        return result with { BytesRead = cached.BytesFetched };
    }

    private static async Task<Mp4Inspection> InspectCoreAsync(BoxReader reader, BlockCachedByteSource cached, long readBudget, CancellationToken ct)
    {
        if (reader.Length < 16)
        {
            return new Mp4Inspection(Mp4Verdict.NotMp4, "The file is too short to be an MP4.");
        }
        Box ftyp;
        try
        {
            ftyp = await reader.ReadHeaderAsync(0, reader.Length, ct);
        }
        catch (MalformedMp4Exception)
        {
            return new Mp4Inspection(Mp4Verdict.NotMp4, "The file does not start with an MP4 'ftyp' box.");
        }
        if (ftyp.Type != "ftyp" || ftyp.PayloadSize < 8 || ftyp.PayloadSize > 4096)
        {
            return new Mp4Inspection(Mp4Verdict.NotMp4, "The file does not start with an MP4 'ftyp' box.");
        }

        var brands = ReadBrands(await reader.ReadPayloadAsync(ftyp, 4096, ct));
        var major = brands[0];
        if (brands.Contains(ProtectedBrand))
        {
            return new Mp4Inspection(Mp4Verdict.Protected, "The file is DRM-protected (M4P) and cannot be played.", major);
        }
        if (!brands.Any(PlayableBrands.Contains))
        {
            return new Mp4Inspection(Mp4Verdict.NotMp4, $"Brand '{major.TrimEnd()}' is not an MP4/M4A brand.", major);
        }

        Movie? movie = null;
        var fragments = new FragmentTimes();
        var walkedEverything = true;
        try
        {
            await foreach (var box in reader.ChildrenAsync(ftyp.End, reader.Length, ct))
            {
                if (box.Type == "moov")
                {
                    movie = movie is null
                        ? await Movie.ReadAsync(reader, box, ct)
                        : throw new MalformedMp4Exception("The file has more than one 'moov' box.");
                }
                else if (box.Type == "moof" && movie is { Fragmented: true })
                {
                    await fragments.AddMoofAsync(reader, box, movie, ct);
                }
            }
        }
        catch (ReadBudgetExceededException) when (movie is { Fragmented: true })
        {
            // Thousands of small fragments: the walk is not worth the reads. The mfra index may still tell.
            walkedEverything = false;
        }

        if (movie is null)
        {
            return new Mp4Inspection(Mp4Verdict.Malformed, "The file has no 'moov' box (incomplete upload?).", major);
        }
        var audio = movie.Tracks.FirstOrDefault(t => t.Handler == "soun");
        if (audio is null)
        {
            return new Mp4Inspection(Mp4Verdict.NoAudio, "The file has no audio track.", major);
        }

        var duration = movie.DurationSeconds ?? audio.DurationSeconds;
        if (duration is null && movie.Fragmented)
        {
            if (!walkedEverything)
            {
                fragments = new FragmentTimes();
                cached.RaiseBudget(readBudget * MfraAllowanceFactor);
                await fragments.AddLastFromIndexAsync(reader, movie, audio.Id, ct);
            }
            duration = fragments.DurationSeconds(audio);
        }
        var reason = "A playable MP4/M4A.";
        if (duration > Mp4Inspection.MaxDurationSeconds)
        {
            reason = $"A playable MP4/M4A whose header claims {duration.Value:0} s, more than a chapter can last: its duration is unknown.";
            duration = null;
        }
        var seconds = duration is null ? (double?)null : Math.Round(duration.Value, 3);
        cached.RaiseBudget(readBudget * MetadataAllowanceFactor);
        var metadata = await Mp4MetadataReader.ReadAsync(reader, movie, audio, seconds, ct);
        return new Mp4Inspection(Mp4Verdict.Playable, reason, major, seconds) { Metadata = metadata };
    }

    private static List<string> ReadBrands(byte[] payload)
    {
        var brands = new List<string> { System.Text.Encoding.Latin1.GetString(payload, 0, 4) };
        for (var i = 8; i + 4 <= payload.Length; i += 4)
        {
            brands.Add(System.Text.Encoding.Latin1.GetString(payload, i, 4));
        }
        return brands;
    }
}
