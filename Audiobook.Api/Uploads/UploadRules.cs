using System.Collections.Frozen;

namespace Audiobook.Api.Uploads;

/// <summary>What a chapter upload may be, checked before any URL is handed out.</summary>
public static class UploadRules
{
    /// <summary>The seed's chapter extensions: what <see cref="UploadOptions.Extensions"/> is unless an operator says otherwise.</summary>
    public static readonly IReadOnlyList<string> DefaultExtensions = [".m4a", ".mp4"];

    /// <summary>Names of the MP4 container that need no transcoding: all an operator may allow (.m4b is an M4A by another name).</summary>
    public static readonly FrozenSet<string> Mp4Extensions = new[] { ".m4a", ".mp4", ".m4b" }.ToFrozenSet();

    public static readonly FrozenSet<string> ContentTypes =
        new[] { "audio/mp4", "audio/x-m4a", "video/mp4", "audio/m4a", "audio/x-m4b" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The media type without parameters, lower-cased, or null if it is not one we accept. An M4B is stored as what it is, audio/mp4.</summary>
    /// <summary>The bare media type of a Content-Type ("Image/PNG; q=1" → "image/png"), or null.</summary>
    public static string? MediaType(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant();

    public static string? AcceptedContentType(string? contentType)
    {
        var type = MediaType(contentType);
        return type is null || !ContentTypes.Contains(type) ? null
            : type == "audio/x-m4b" ? "audio/mp4"
            : type;
    }
}
