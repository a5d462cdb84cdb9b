using System.Globalization;
using System.Text;
using Audiobook.Api.Http;

namespace Audiobook.Api.Uploads;

/// <summary>A client's file name made safe to keep and show (the seed's 15.x rules).</summary>
public sealed record NormalizedFileName(string Name, string Extension);

/// <summary>
/// Normalises a client's file name: Unicode NFC (macOS sends NFD), no path parts, no control or
/// bidi-override characters, trimmed, extension lower-cased, at most 255 UTF-8 bytes (cut on a
/// whole character). The name is only ever displayed or sent back in Content-Disposition; storage
/// keys are built from ids.
/// </summary>
public static class FileNames
{
    public const int MaxUtf8Bytes = 255;

    public static NormalizedFileName? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        // A UTF-8 round trip replaces lone surrogates (not valid Unicode) with U+FFFD before NFC.
        var name = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(raw)).Normalize(NormalizationForm.FormC);
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        name = new string([.. name.Where(c => !Text.IsUnsafe(c))]).Trim().TrimEnd('.').Trim();
        if (name.Length == 0)
        {
            return null;
        }

        var dot = name.LastIndexOf('.');
        var stem = dot >= 0 ? name[..dot].TrimEnd() : name;
        var extension = dot >= 0 ? name[dot..].ToLowerInvariant() : "";
        if (stem.Length == 0 || stem.All(c => c == '.'))
        {
            return null;
        }
        if (Encoding.UTF8.GetByteCount(extension) >= MaxUtf8Bytes)
        {
            return null;
        }
        stem = CutToBytes(stem, MaxUtf8Bytes - Encoding.UTF8.GetByteCount(extension));
        return new NormalizedFileName(stem + extension, extension);
    }

    private static string CutToBytes(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }
        var result = new StringBuilder();
        var bytes = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var size = Encoding.UTF8.GetByteCount(element);
            if (bytes + size > maxBytes)
            {
                break;
            }
            result.Append(element);
            bytes += size;
        }
        return result.ToString().TrimEnd();
    }
}
