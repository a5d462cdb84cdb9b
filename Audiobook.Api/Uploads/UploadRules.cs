using System.Collections.Frozen;

namespace Audiobook.Api.Uploads;

/// <summary>What a chapter upload may be, checked before any URL is handed out.</summary>
public static class UploadRules
{
    public static readonly FrozenSet<string> Extensions = new[] { ".m4a", ".mp4" }.ToFrozenSet();

    public static readonly FrozenSet<string> ContentTypes =
        new[] { "audio/mp4", "audio/x-m4a", "video/mp4", "audio/m4a" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The media type without parameters, lower-cased, or null if it is not one we accept.</summary>
    public static string? AcceptedContentType(string? contentType)
    {
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type is not null && ContentTypes.Contains(type) ? type : null;
    }
}
