using System.Text;

namespace Audiobook.Api.Media;

/// <summary>
/// The Nero chapter list, <c>moov/udta/chpl</c>: version, flags, (version 1: four reserved bytes), a
/// one-byte count, then per marker a 64-bit start in 100 ns units and a title of at most 255 UTF-8 bytes.
/// </summary>
public static class NeroChapters
{
    /// <summary>The most a chpl box can hold: 255 markers of 9 + 255 bytes, and its header fields.</summary>
    public const int MaxPayload = 9 + 255 * (9 + 255);

    private const double UnitsPerSecond = 10_000_000;

    public static List<RawMarker> Parse(ReadOnlySpan<byte> payload)
    {
        var p = new PayloadReader(payload, "chpl");
        var version = p.U8();
        p.Skip(3);
        if (version >= 1)
        {
            p.Skip(4);
        }
        int count = p.U8();
        var markers = new List<RawMarker>(count);
        for (var i = 0; i < count; i++)
        {
            if (p.Remaining < 9)
            {
                throw new MalformedMp4Exception($"The chpl box claims {count} markers but holds {i}.");
            }
            var start = p.U64();
            int length = p.U8();
            if (p.Remaining < length)
            {
                throw new MalformedMp4Exception($"The chpl box claims {count} markers but holds {i}.");
            }
            var title = Encoding.UTF8.GetString(p.Bytes(length));
            markers.Add(new RawMarker(title, start / UnitsPerSecond));
        }
        return markers;
    }
}
