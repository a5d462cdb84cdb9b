using System.Buffers.Binary;

namespace Audiobook.Tests.Media;

/// <summary>The real files under Media/Samples (made with ffmpeg, see Media/Samples/README.md) and hostile variations.</summary>
public static class Mp4Samples
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Media", "Samples", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The picture a sample carries in its <c>covr</c> tag, as the inspector locates it.</summary>
    public static async Task<byte[]> EmbeddedCoverAsync(string name)
    {
        var file = Read(name);
        var cover = (await Audiobook.Api.Media.Mp4Inspector.InspectAsync(new Audiobook.Api.Media.MemoryByteSource(file), Xunit.TestContext.Current.CancellationToken)).Metadata.Cover
            ?? throw new InvalidOperationException($"{name} has no cover.");
        return file.AsSpan((int)cover.Offset, cover.Length).ToArray();
    }

    public static byte[] Box(string type, params byte[][] children)
    {
        var payload = children.SelectMany(c => c).ToArray();
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        payload.CopyTo(box, 8);
        return box;
    }

    public static byte[] Ftyp(string major = "M4A ") =>
        Box("ftyp", System.Text.Encoding.ASCII.GetBytes(major), new byte[4], System.Text.Encoding.ASCII.GetBytes("isom"));

    /// <summary>The offset of the first top-level box of a type.</summary>
    public static int FindTopLevel(byte[] file, string type)
    {
        var offset = 0;
        while (offset + 8 <= file.Length)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
            if (System.Text.Encoding.ASCII.GetString(file, offset + 4, 4) == type)
            {
                return offset;
            }
            offset += size;
        }
        throw new InvalidOperationException($"No top-level '{type}' box.");
    }

    public static int[] FindPath(byte[] file, params string[] path) => Audiobook.Load.Mp4Boxes.FindPath(file, path);

    public static byte[] ReplaceBox(byte[] file, string[] path, byte[] replacement) => Audiobook.Load.Mp4Boxes.ReplaceBox(file, path, replacement);

    /// <summary>A Nero chapter list (<c>chpl</c>, version 1) stating <paramref name="count"/> entries, whatever it holds.</summary>
    public static byte[] Chpl(IEnumerable<(double Seconds, string Title)> entries, int? count = null)
    {
        var list = entries.ToList();
        var payload = new List<byte> { 1, 0, 0, 0, 0, 0, 0, 0, (byte)(count ?? list.Count) };
        foreach (var (seconds, title) in list)
        {
            var start = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(start, (long)(seconds * 10_000_000));
            var text = System.Text.Encoding.UTF8.GetBytes(title);
            payload.AddRange(start);
            payload.Add((byte)text.Length);
            payload.AddRange(text);
        }
        return Box("chpl", [.. payload]);
    }
}
