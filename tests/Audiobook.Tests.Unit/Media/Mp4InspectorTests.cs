using System.Buffers.Binary;
using Audiobook.Api.Media;

namespace Audiobook.Tests.Media;

public sealed class Mp4InspectorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<Mp4Inspection> Inspect(byte[] bytes) =>
        Mp4Inspector.InspectAsync(new MemoryByteSource(bytes), Token);

    [Theory]
    [InlineData("faststart.m4a", "M4A ", 5.0)]
    [InlineData("moov-at-end.m4a", "M4A ", 5.0)]
    [InlineData("isom.mp4", "isom", 4.0)]
    [InlineData("with-chapters.m4b", "M4B ", 7.0)]
    [InlineData("fragmented.mp4", "iso5", 6.0)]
    public async Task Real_files_are_playable_with_their_duration(string file, string brand, double seconds)
    {
        var result = await Inspect(Mp4Samples.Read(file));

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.Equal(brand, result.MajorBrand);
        Assert.NotNull(result.DurationSeconds);
        Assert.InRange(result.DurationSeconds.Value, seconds - 0.01, seconds + 0.1);
    }

    [Fact]
    public async Task Fragmented_duration_comes_from_the_fragments_when_mvhd_says_zero()
    {
        var file = Mp4Samples.Read("fragmented.mp4");
        // Without the mfra index at the end, every moof is walked.
        var withoutIndex = file[..Mp4Samples.FindTopLevel(file, "mfra")];

        var walked = await Inspect(withoutIndex);

        Assert.Equal(Mp4Verdict.Playable, walked.Verdict);
        Assert.InRange(walked.DurationSeconds!.Value, 6.0, 6.1);
    }

    [Fact]
    public async Task Fragmented_duration_uses_the_mfra_index_when_walking_would_read_too_much()
    {
        var file = Mp4Samples.Read("fragmented.mp4");
        var result = await Mp4Inspector.InspectAsync(new MemoryByteSource(file), Token, blockSize: 512, readBudget: 6 * 512);

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.InRange(result.DurationSeconds!.Value, 6.0, 6.1);
    }

    [Fact]
    public async Task Fragmented_duration_is_null_not_zero_when_it_cannot_be_known()
    {
        var file = Mp4Samples.Read("fragmented.mp4");
        var withoutIndex = file[..Mp4Samples.FindTopLevel(file, "mfra")];
        var result = await Mp4Inspector.InspectAsync(new MemoryByteSource(withoutIndex), Token, blockSize: 512, readBudget: 6 * 512);

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.Null(result.DurationSeconds);
    }

    [Theory]
    [InlineData("mp3-renamed.m4a")]
    [InlineData("tone.wav")]
    [InlineData("text.m4a")]
    public async Task Other_formats_are_not_mp4(string file)
    {
        var result = await Inspect(Mp4Samples.Read(file));
        Assert.Equal(Mp4Verdict.NotMp4, result.Verdict);
    }

    [Fact]
    public async Task Drm_protected_m4p_is_refused()
    {
        var result = await Inspect(Mp4Samples.Read("protected.m4p"));
        Assert.Equal(Mp4Verdict.Protected, result.Verdict);
    }

    [Fact]
    public async Task A_video_without_sound_has_no_audio()
    {
        var result = await Inspect(Mp4Samples.Read("video-only.mp4"));
        Assert.Equal(Mp4Verdict.NoAudio, result.Verdict);
    }

    [Theory]
    [InlineData("faststart.m4a", 10_000)]   // moov complete, mdat cut
    [InlineData("moov-at-end.m4a", 21_000)] // cut inside the moov
    [InlineData("moov-at-end.m4a", 20_454)] // cut exactly before the moov
    [InlineData("moov-at-end.m4a", 100)]    // cut inside the mdat
    [InlineData("fragmented.mp4", 12_000)]  // cut inside a fragment
    public async Task Truncated_files_are_malformed(string file, int keep)
    {
        var result = await Inspect(Mp4Samples.Read(file)[..keep]);
        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task A_box_size_past_the_end_of_the_file_is_malformed()
    {
        var file = Mp4Samples.Read("moov-at-end.m4a");
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(Mp4Samples.FindTopLevel(file, "mdat")), uint.MaxValue);

        var result = await Inspect(file);

        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
        Assert.Contains("mdat", result.Reason);
    }

    [Fact]
    public async Task A_64_bit_size_that_overflows_is_malformed()
    {
        var mdat = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mdat, 1);
        "mdat"u8.CopyTo(mdat.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(mdat.AsSpan(8), ulong.MaxValue);

        var result = await Inspect([.. Mp4Samples.Ftyp(), .. mdat]);

        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task A_box_smaller_than_its_header_is_malformed()
    {
        var tiny = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(tiny, 4);
        "free"u8.CopyTo(tiny.AsSpan(4));

        var result = await Inspect([.. Mp4Samples.Ftyp(), .. tiny, .. new byte[32]]);

        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task Boxes_nested_absurdly_deep_end_in_a_controlled_rejection()
    {
        var nested = Mp4Samples.Box("trak");
        for (var i = 0; i < 20_000; i++)
        {
            nested = Mp4Samples.Box(i % 2 == 0 ? "trak" : "mdia", nested);
        }

        var result = await Inspect([.. Mp4Samples.Ftyp(), .. Mp4Samples.Box("moov", nested)]);

        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task A_flood_of_tiny_boxes_is_rejected_within_the_read_budget()
    {
        var free = Mp4Samples.Box("free");
        var flood = Enumerable.Repeat(free, 1_000_000).SelectMany(b => b).ToArray();

        var result = await Inspect([.. Mp4Samples.Ftyp(), .. flood]);

        Assert.Equal(Mp4Verdict.Malformed, result.Verdict);
    }

    [Fact]
    public async Task A_large_file_with_moov_at_the_end_is_inspected_with_few_small_reads()
    {
        var sample = Mp4Samples.Read("moov-at-end.m4a");
        var moovAt = Mp4Samples.FindTopLevel(sample, "moov");
        var mdat = new byte[200 * 1024 * 1024];
        BinaryPrimitives.WriteUInt32BigEndian(mdat, (uint)mdat.Length);
        "mdat"u8.CopyTo(mdat.AsSpan(4));
        byte[] large = [.. Mp4Samples.Ftyp(), .. mdat, .. sample[moovAt..]];
        var result = await Mp4Inspector.InspectAsync(new MemoryByteSource(large), Token);

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.InRange(result.BytesRead, 1, 64 * 1024);
    }
}
