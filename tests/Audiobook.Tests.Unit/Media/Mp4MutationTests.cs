using System.Buffers.Binary;
using Audiobook.Api.Media;

namespace Audiobook.Tests.Media;

/// <summary>
/// Thousands of damaged versions of the real sample files — truncated, bytes flipped, box sizes
/// rewritten, boxes duplicated into loops — each must end in a verdict (never an exception or a
/// hang), reading no more than the inspector's budget.
/// </summary>
public sealed class Mp4MutationTests
{
    private const long ReadBudget = 64 * 1024;
    // The budget and its allowances (mfra index, metadata): 256 KiB, which the samples (up to 850 KB) could exceed.
    private static readonly long MostRead = Mp4Inspector.MostBytesFetched(ReadBudget);

    public static TheoryData<string> Samples => new(
        "faststart.m4a", "moov-at-end.m4a", "fragmented.mp4", "with-chapters.m4b", "isom.mp4", "video-only.mp4", "protected.m4p",
        "book-both-markers.m4a", "book-quicktime-markers.m4a", "book-nero-markers.m4a");

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_mutation_ends_in_a_verdict_within_the_read_budget(string sample)
    {
        var original = Mp4Samples.Read(sample);
        var random = new Random(sample.Aggregate(20261124, (hash, c) => unchecked((hash * 31) + c))); // the same mutations every run
        var verdicts = new Dictionary<Mp4Verdict, int>();
        for (var i = 0; i < 400; i++)
        {
            var (mutant, how) = Mutate(original, random);
            var source = new CountingSource(mutant);
            using var hang = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            hang.CancelAfter(TimeSpan.FromSeconds(30)); // a hang detector, not a speed goal

            var result = await Mp4Inspector.InspectAsync(source, hang.Token, blockSize: 4096, readBudget: ReadBudget);

            Assert.True(source.BytesRead <= MostRead, $"{sample} {how}: read {source.BytesRead} bytes");
            Assert.False(string.IsNullOrWhiteSpace(result.Reason) && !result.IsPlayable, $"{sample} {how}: a refusal without a reason");
            if (result.DurationSeconds is { } seconds)
            {
                Assert.True(double.IsFinite(seconds) && seconds >= 0, $"{sample} {how}: duration {seconds}");
            }
            verdicts[result.Verdict] = verdicts.GetValueOrDefault(result.Verdict) + 1;
        }
        // The mutations are not all harmless: many of them must be refused.
        Assert.True(verdicts.Where(v => v.Key != Mp4Verdict.Playable).Sum(v => v.Value) > 100,
            string.Join(", ", verdicts.Select(v => $"{v.Key}: {v.Value}")));
    }

    /// <summary>Hostile metadata in an otherwise fine book: the audio is accepted, the bad part dropped (or repaired) and the reason stated.</summary>
    public static TheoryData<string, string> HostileMetadataCases => new()
    {
        { "markers past the end", "starting at or after the end" },
        { "unsorted markers", "out of order" },
        { "markers sharing a start", "sharing a start" },
        { "chpl claiming more entries than it holds", "claims 9 markers but holds 3" },
        { "chapter reference to a missing track", "which the file does not have" },
        { "chapter reference to the audio track", "not a text track" },
        { "tag atom with a lying size", "'\u00A9nam'" },
        { "tag data box with a lying size", "'\u00A9nam' tag" },
        { "covr that is not an image", "not a JPEG or PNG" },
        { "covr claiming 2 GB", "'covr' tag" },
    };

    [Theory]
    [MemberData(nameof(HostileMetadataCases))]
    public async Task Hostile_metadata_is_dropped_with_its_reason_and_the_audio_kept(string attack, string reason)
    {
        var file = HostileMetadata.Make(attack);
        var source = new CountingSource(file);

        var result = await Mp4Inspector.InspectAsync(source, TestContext.Current.CancellationToken, blockSize: 4096, readBudget: ReadBudget);

        Assert.Equal(Mp4Verdict.Playable, result.Verdict);
        Assert.True(source.BytesRead <= MostRead, $"read {source.BytesRead} bytes");
        Assert.Contains(result.Metadata.Problems, p => p.Contains(reason, StringComparison.Ordinal));
        Assert.All(result.Metadata.Markers, m => Assert.InRange(m.EndSeconds, m.StartSeconds, result.DurationSeconds!.Value));
        switch (attack)
        {
            case "markers past the end":
                Assert.Equal(["A", "B"], result.Metadata.Markers.Select(m => m.Title));
                Assert.Equal(9, result.Metadata.Markers[^1].EndSeconds, 1);
                break;
            case "unsorted markers":
                Assert.Equal(["A", "B", "C"], result.Metadata.Markers.Select(m => m.Title));
                break;
            case "markers sharing a start":
                Assert.Equal(["A", "C"], result.Metadata.Markers.Select(m => m.Title));
                break;
            case "chpl claiming more entries than it holds":
            case "chapter reference to a missing track":
            case "chapter reference to the audio track":
                Assert.Empty(result.Metadata.Markers);
                break;
            case "covr that is not an image":
            case "covr claiming 2 GB":
                Assert.Null(result.Metadata.Cover);
                break;
        }
    }

    private static (byte[] Bytes, string How) Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var boxes = BoxOffsets(original);
        switch (random.Next(6))
        {
            case 0:
                var keep = random.Next(0, bytes.Length);
                return (bytes[..keep], $"truncated at {keep}");
            case 1:
                for (var n = random.Next(1, 16); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }
                return (bytes, "bytes flipped");
            case 2:
                var at = boxes[random.Next(boxes.Count)];
                uint[] sizes = [0, 1, 7, 8, 0xFFFFFFFF, (uint)bytes.Length * 2, (uint)random.Next()];
                var size = sizes[random.Next(sizes.Length)];
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), size);
                return (bytes, $"box at {at} sized {size}");
            case 3:
                var large = boxes[random.Next(boxes.Count)];
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(large), 1); // a 64-bit size follows, overwriting the payload
                if (large + 16 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(large + 8), (ulong)random.NextInt64());
                }
                return (bytes, $"64-bit size at {large}");
            case 4:
                // A box whose size points back at its own header: a walker that trusts it would loop.
                var loop = boxes[random.Next(boxes.Count)];
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(loop), 8);
                "moov"u8.CopyTo(bytes.AsSpan(loop + 4));
                return (bytes, $"empty moov at {loop}");
            default:
                var from = boxes[random.Next(boxes.Count)];
                var length = Math.Min(bytes.Length - from, random.Next(8, 4096));
                var copies = random.Next(2, 200);
                var grown = new List<byte>(bytes.Length + length * copies);
                grown.AddRange(bytes[..from]);
                for (var c = 0; c < copies; c++)
                {
                    grown.AddRange(bytes.AsSpan(from, length).ToArray());
                }
                grown.AddRange(bytes[from..]);
                return ([.. grown], $"{copies} copies of {length} bytes at {from}");
        }
    }

    /// <summary>Offsets of box headers, top level and one level into each container, to aim mutations at.</summary>
    private static List<int> BoxOffsets(byte[] bytes)
    {
        var offsets = new List<int>();
        void Walk(int start, int end, int depth)
        {
            var at = start;
            while (at + 8 <= end)
            {
                var size = (long)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
                if (size < 8 || at + size > end)
                {
                    return;
                }
                offsets.Add(at);
                var type = System.Text.Encoding.Latin1.GetString(bytes, at + 4, 4);
                if (depth < 4 && type is "moov" or "trak" or "mdia" or "minf" or "stbl" or "moof" or "traf" or "udta" or "tref" or "ilst" or "covr" or "\u00A9nam")
                {
                    Walk(at + 8, (int)(at + size), depth + 1);
                }
                else if (depth < 4 && type == "meta")
                {
                    Walk(at + 12, (int)(at + size), depth + 1);
                }
                at += (int)size;
            }
        }
        Walk(0, bytes.Length, 0);
        return offsets.Count > 0 ? offsets : [0];
    }

    private sealed class CountingSource(byte[] bytes) : IByteSource
    {
        private readonly MemoryByteSource inner = new(bytes);
        private long read;

        public long BytesRead => Interlocked.Read(ref read);

        public long Length => inner.Length;

        public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
        {
            var count = await inner.ReadAsync(offset, destination, cancellationToken);
            Interlocked.Add(ref read, count);
            return count;
        }
    }
}
