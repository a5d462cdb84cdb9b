using System.Buffers.Binary;

namespace Audiobook.Tests.Media;

/// <summary>A real single-file book with one piece of hostile metadata: the audio is fine, the named part is not.</summary>
public static class HostileMetadata
{
    private static readonly string[] Chpl = ["moov", "udta", "chpl"];

    public static byte[] Make(string attack)
    {
        var nero = Mp4Samples.Read("book-nero-markers.m4a");
        var quickTime = Mp4Samples.Read("book-quicktime-markers.m4a");
        switch (attack)
        {
            case "markers past the end":
                return Mp4Samples.ReplaceBox(nero, Chpl, Mp4Samples.Chpl([(0, "A"), (4, "B"), (9.5, "Past"), (3600, "Far past")]));
            case "unsorted markers":
                return Mp4Samples.ReplaceBox(nero, Chpl, Mp4Samples.Chpl([(3, "B"), (0, "A"), (6, "C")]));
            case "markers sharing a start":
                return Mp4Samples.ReplaceBox(nero, Chpl, Mp4Samples.Chpl([(0, "A"), (0, "B"), (6, "C")]));
            case "chpl claiming more entries than it holds":
                return Mp4Samples.ReplaceBox(nero, Chpl, Mp4Samples.Chpl([(0, "A"), (3, "B"), (6, "C")], count: 9));
            case "chapter reference to a missing track":
            case "chapter reference to the audio track":
                var chap = Mp4Samples.FindPath(quickTime, "moov", "trak", "tref", "chap")[^1];
                var audioTrackId = 1u;
                BinaryPrimitives.WriteUInt32BigEndian(quickTime.AsSpan(chap + 8), attack.EndsWith("missing track", StringComparison.Ordinal) ? 99 : audioTrackId);
                return quickTime;
            case "tag atom with a lying size":
                var name = Mp4Samples.FindPath(quickTime, "moov", "udta", "meta", "ilst", "\u00A9nam")[^1];
                BinaryPrimitives.WriteUInt32BigEndian(quickTime.AsSpan(name), 0x7FFF_FFF0);
                return quickTime;
            case "tag data box with a lying size":
                var data = Mp4Samples.FindPath(quickTime, "moov", "udta", "meta", "ilst", "\u00A9nam", "data")[^1];
                BinaryPrimitives.WriteUInt32BigEndian(quickTime.AsSpan(data), 3);
                return quickTime;
            case "covr that is not an image":
                var picture = Mp4Samples.FindPath(quickTime, "moov", "udta", "meta", "ilst", "covr", "data")[^1];
                "GIF89a"u8.CopyTo(quickTime.AsSpan(picture + 16));
                return quickTime;
            case "covr claiming 2 GB":
                var cover = Mp4Samples.FindPath(quickTime, "moov", "udta", "meta", "ilst", "covr", "data")[^1];
                BinaryPrimitives.WriteUInt32BigEndian(quickTime.AsSpan(cover), 0x8000_0000);
                return quickTime;
            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }
    }
}
