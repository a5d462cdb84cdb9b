using System.Text;

namespace Audiobook.Api.Streaming;

/// <summary>
/// <c>attachment</c> with the original file name: an ASCII fallback in <c>filename</c> for old
/// clients and the exact UTF-8 name in <c>filename*</c> (RFC 6266 with RFC 5987 encoding).
/// </summary>
public static class ContentDisposition
{
    public static string Attachment(string fileName)
    {
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName)
        {
            fallback.Append(c is >= ' ' and <= '~' and not '"' and not '\\' and not '%' ? c : '_');
        }
        return $"attachment; filename=\"{fallback}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }
}
