using System.Buffers.Binary;
using System.Collections.Frozen;

namespace Audiobook.Api.Media;

/// <summary>
/// A track's language as mdhd packs it (three 5-bit letters of ISO 639-2), as a BCP 47 tag: the
/// two-letter code where a language has one, else the three letters; nothing for "und" and its kin.
/// </summary>
public static class Mp4Language
{
    private static readonly FrozenDictionary<string, string> TwoLetter = new Dictionary<string, string>
    {
        ["ara"] = "ar",
        ["baq"] = "eu",
        ["bul"] = "bg",
        ["cat"] = "ca",
        ["ces"] = "cs",
        ["chi"] = "zh",
        ["cze"] = "cs",
        ["dan"] = "da",
        ["deu"] = "de",
        ["dut"] = "nl",
        ["ell"] = "el",
        ["eng"] = "en",
        ["est"] = "et",
        ["eus"] = "eu",
        ["fas"] = "fa",
        ["fin"] = "fi",
        ["fra"] = "fr",
        ["fre"] = "fr",
        ["ger"] = "de",
        ["glg"] = "gl",
        ["gre"] = "el",
        ["heb"] = "he",
        ["hin"] = "hi",
        ["hrv"] = "hr",
        ["hun"] = "hu",
        ["ice"] = "is",
        ["ind"] = "id",
        ["isl"] = "is",
        ["ita"] = "it",
        ["jpn"] = "ja",
        ["kor"] = "ko",
        ["lav"] = "lv",
        ["lit"] = "lt",
        ["may"] = "ms",
        ["msa"] = "ms",
        ["nld"] = "nl",
        ["nno"] = "nn",
        ["nob"] = "nb",
        ["nor"] = "no",
        ["per"] = "fa",
        ["pol"] = "pl",
        ["por"] = "pt",
        ["ron"] = "ro",
        ["rum"] = "ro",
        ["rus"] = "ru",
        ["slk"] = "sk",
        ["slo"] = "sk",
        ["slv"] = "sl",
        ["spa"] = "es",
        ["srp"] = "sr",
        ["swe"] = "sv",
        ["tha"] = "th",
        ["tur"] = "tr",
        ["ukr"] = "uk",
        ["vie"] = "vi",
        ["zho"] = "zh",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>From an mdhd payload (version 0: language at byte 20; version 1: at 32).</summary>
    public static string? FromMdhd(ReadOnlySpan<byte> payload)
    {
        var at = payload.Length > 0 && payload[0] == 1 ? 32 : 20;
        return payload.Length >= at + 2 ? FromPacked(BinaryPrimitives.ReadUInt16BigEndian(payload[at..])) : null;
    }

    public static string? FromPacked(ushort packed)
    {
        // Below 0x400 it is a Macintosh language code, not letters.
        if (packed < 0x400)
        {
            return null;
        }
        Span<char> letters = [(char)(((packed >> 10) & 0x1F) + 0x60), (char)(((packed >> 5) & 0x1F) + 0x60), (char)((packed & 0x1F) + 0x60)];
        foreach (var letter in letters)
        {
            if (letter is < 'a' or > 'z')
            {
                return null;
            }
        }
        var code = new string(letters);
        return code is "und" or "mul" or "mis" or "zxx" ? null : TwoLetter.GetValueOrDefault(code, code);
    }
}
