namespace Audiobook.Api.Media;

/// <summary>Cover pictures: JPEG or PNG, known by their first bytes rather than by what anyone says they are.</summary>
public static class ImageFormats
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    /// <summary>The most a cover may weigh, embedded or uploaded.</summary>
    public const int MaxCoverBytes = 10 * 1024 * 1024;

    /// <summary>Bytes <see cref="Detect"/> needs.</summary>
    public const int SignatureLength = 8;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>image/jpeg or image/png when the bytes start like one, else null.</summary>
    public static string? Detect(ReadOnlySpan<byte> start) =>
        start.StartsWith(PngSignature) ? Png
        : start is [0xFF, 0xD8, 0xFF, ..] ? Jpeg
        : null;

    public static string Extension(string contentType) => contentType == Png ? ".png" : ".jpg";
}
