using System.Buffers.Binary;

namespace Audiobook.Tests.Media;

/// <summary>The real files under Media/Samples (made with ffmpeg, see Media/Samples/README.md) and hostile variations.</summary>
public static class Mp4Samples
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Media", "Samples", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

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

    /// <summary>The offsets of the boxes along a path (<c>moov</c>, <c>udta</c>, <c>meta</c>, ...), outermost first; the last is the box itself.</summary>
    public static int[] FindPath(byte[] file, params string[] path)
    {
        var found = new int[path.Length];
        int start = 0, end = file.Length;
        for (var level = 0; level < path.Length; level++)
        {
            var at = start;
            while (true)
            {
                if (at + 8 > end)
                {
                    throw new InvalidOperationException($"No '{string.Join('/', path[..(level + 1)])}' box.");
                }
                var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
                if (System.Text.Encoding.Latin1.GetString(file, at + 4, 4) == path[level])
                {
                    found[level] = at;
                    start = at + (path[level] == "meta" ? 12 : 8); // meta is a full box: version and flags first
                    end = at + size;
                    break;
                }
                at += size;
            }
        }
        return found;
    }

    /// <summary>The file with the box at <paramref name="path"/> replaced by <paramref name="replacement"/>, its enclosing boxes resized.</summary>
    public static byte[] ReplaceBox(byte[] file, string[] path, byte[] replacement)
    {
        var offsets = FindPath(file, path);
        var target = offsets[^1];
        var oldSize = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(target));
        var result = new byte[file.Length - oldSize + replacement.Length];
        file.AsSpan(0, target).CopyTo(result);
        replacement.CopyTo(result.AsSpan(target));
        file.AsSpan(target + oldSize).CopyTo(result.AsSpan(target + replacement.Length));
        foreach (var ancestor in offsets[..^1])
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(result.AsSpan(ancestor));
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(ancestor), (uint)(size - oldSize + replacement.Length));
        }
        return result;
    }

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
