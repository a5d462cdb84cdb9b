using System.Text;
using Audiobook.Api.Books;
using Audiobook.Api.Http;

namespace Audiobook.Api.Media;

/// <summary>
/// The iTunes metadata list, <c>meta/ilst</c>: one box per tag, each with a <c>data</c> box whose first
/// word says what the value is (1 UTF-8, 2 UTF-16, 13 JPEG, 14 PNG, ...). Text is read only up to what
/// is kept; the cover only located and its first bytes checked.
/// </summary>
public static class ItunesTags
{
    private const int MaxTextBytes = 4 * BookFields.MaxDescription;

    public sealed record Result(Mp4Tags Tags, EmbeddedCover? Cover, IReadOnlyList<string> Problems);

    public static async Task<Result> ReadAsync(BoxReader reader, Box meta, CancellationToken ct)
    {
        var problems = new List<string>();
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        EmbeddedCover? cover = null;
        var at = "";
        try
        {
            // ISO's meta is a full box (four bytes of version and flags first); QuickTime's is not.
            var peek = await reader.ReadPayloadAsync(meta, 8, ct);
            var start = peek.Length == 8 && Encoding.Latin1.GetString(peek, 4, 4) == "hdlr" ? meta.PayloadOffset : meta.PayloadOffset + 4;
            await foreach (var list in reader.ChildrenAsync(start, meta.End, ct))
            {
                if (list.Type != "ilst")
                {
                    continue;
                }
                await foreach (var item in reader.ChildrenAsync(list.PayloadOffset, list.End, ct))
                {
                    at = item.Type;
                    if (item.Type == "covr" ? cover is not null : !Wanted(item.Type) || text.ContainsKey(item.Type))
                    {
                        continue;
                    }
                    if (await FirstDataAsync(reader, item, ct) is not { } data)
                    {
                        continue;
                    }
                    if (item.Type == "covr")
                    {
                        cover = await LocateCoverAsync(reader, data, problems, ct);
                    }
                    else if (await ReadTextAsync(reader, data, ct) is { } value)
                    {
                        text[item.Type] = value;
                    }
                }
            }
        }
        catch (MalformedMp4Exception ex)
        {
            problems.Add(at.Length == 0 ? $"The tags could not be read: {ex.Message}" : $"The '{at}' tag and any after it could not be read: {ex.Message}");
        }

        string? Get(string key, int max = 300, bool multiline = false) =>
            Text.Sanitize(text.GetValueOrDefault(key), max, multiline);
        var tags = new Mp4Tags(
            Title: Get("\u00A9nam"),
            Artist: Get("\u00A9ART"),
            AlbumArtist: Get("aART"),
            Album: Get("\u00A9alb"),
            Narrator: Get("\u00A9nrt") ?? Get("\u00A9wrt"),
            Year: Get("\u00A9day", 32),
            Genre: Get("\u00A9gen", 100),
            Description: Get("ldes", BookFields.MaxDescription, multiline: true) ?? Get("desc", BookFields.MaxDescription, multiline: true),
            Comment: Get("\u00A9cmt", BookFields.MaxDescription, multiline: true));
        return new Result(tags, cover, problems);
    }

    private static bool Wanted(string type) => type is
        "\u00A9nam" or "\u00A9ART" or "aART" or "\u00A9alb" or "\u00A9wrt" or "\u00A9nrt" or "\u00A9day" or "\u00A9gen" or "desc" or "ldes" or "\u00A9cmt";

    private static async Task<Box?> FirstDataAsync(BoxReader reader, Box item, CancellationToken ct)
    {
        await foreach (var child in reader.ChildrenAsync(item.PayloadOffset, item.End, ct))
        {
            if (child.Type == "data")
            {
                return child.PayloadSize >= 8 ? child : throw new MalformedMp4Exception($"The '{item.Type}' tag's data box is shorter than its header.");
            }
        }
        return null;
    }

    /// <summary>A text value: UTF-8 (type 1, or 0 as some writers put it) or UTF-16 (type 2); other types are not text.</summary>
    private static async Task<string?> ReadTextAsync(BoxReader reader, Box data, CancellationToken ct)
    {
        var payload = await reader.ReadPayloadAsync(data, 8 + MaxTextBytes, ct);
        var type = ((payload[1] << 16) | (payload[2] << 8) | payload[3]);
        var value = payload.AsSpan(8);
        return type switch
        {
            0 or 1 => Encoding.UTF8.GetString(value),
            2 => Encoding.BigEndianUnicode.GetString(value[..(value.Length & ~1)]),
            _ => null,
        };
    }

    private static async Task<EmbeddedCover?> LocateCoverAsync(BoxReader reader, Box data, List<string> problems, CancellationToken ct)
    {
        var length = data.PayloadSize - 8;
        if (length > ImageFormats.MaxCoverBytes)
        {
            problems.Add($"The cover is {length} bytes, more than the {ImageFormats.MaxCoverBytes} kept: left out.");
            return null;
        }
        var start = new byte[(int)Math.Min(length, ImageFormats.SignatureLength)];
        await reader.ReadExactlyAsync(data.PayloadOffset + 8, start, ct);
        if (ImageFormats.Detect(start) is not { } contentType)
        {
            problems.Add("The cover is not a JPEG or PNG picture: left out.");
            return null;
        }
        return new EmbeddedCover(data.PayloadOffset + 8, (int)length, contentType);
    }
}
