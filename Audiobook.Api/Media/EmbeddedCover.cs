namespace Audiobook.Api.Media;

/// <summary>Where a file's cover picture (<c>covr</c>) sits, so it can be copied with one ranged read: never read with the audio.</summary>
public sealed record EmbeddedCover(long Offset, int Length, string ContentType);
