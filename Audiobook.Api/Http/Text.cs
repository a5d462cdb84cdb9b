using System.Globalization;
using System.Text;

namespace Audiobook.Api.Http;

/// <summary>How user text is cleaned before it is stored: trimmed, Unicode NFC, no control characters.</summary>
public static class Text
{
    /// <summary>Trimmed NFC text, or null for null/blank input.</summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        return trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
    }

    /// <summary>True when the text has control characters (line breaks allowed only where <paramref name="multiline"/>).</summary>
    public static bool HasControlCharacters(string value, bool multiline = false) =>
        value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'));

    /// <summary>
    /// Text that arrives from a file rather than from a person (tags, marker titles): made safe instead of
    /// refused. Lone surrogates become U+FFFD, then NFC; control characters (but line breaks where
    /// <paramref name="multiline"/>) and bidi controls are removed; trimmed; cut to at most
    /// <paramref name="maxLength"/> characters on a whole character. Null when nothing is left.
    /// </summary>
    public static string? Sanitize(string? value, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)).Normalize(NormalizationForm.FormC);
        text = new string([.. text.Where(c => !IsUnsafe(c) || (multiline && c is '\n' or '\t'))]).Trim();
        if (text.Length > maxLength)
        {
            var cut = new StringBuilder();
            var elements = StringInfo.GetTextElementEnumerator(text);
            while (elements.MoveNext() && cut.Length + ((string)elements.Current).Length <= maxLength)
            {
                cut.Append((string)elements.Current);
            }
            text = cut.ToString().TrimEnd();
        }
        return text.Length == 0 ? null : text;
    }

    /// <summary>Control characters, and the bidi controls that can make text read other than it is stored.</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF';

    /// <summary>No lone surrogates (they cannot be stored as UTF-8).</summary>
    public static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }
        return true;
    }
}
