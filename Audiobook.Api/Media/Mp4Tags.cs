using System.Text.Json.Serialization;

namespace Audiobook.Api.Media;

/// <summary>
/// The iTunes-style tags of an MP4 file (<c>moov/udta/meta/ilst</c>), cleaned like any text the API stores.
/// Audiobook tools put the narrator in the composer tag (<c>©wrt</c>), some in <c>©nrt</c>. In JSON,
/// only the tags a file has appear.
/// </summary>
public sealed record Mp4Tags(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Artist = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AlbumArtist = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Album = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Narrator = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Year = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Genre = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Comment = null)
{
    public static readonly Mp4Tags None = new();

    [JsonIgnore]
    public bool IsEmpty => this == None;
}
