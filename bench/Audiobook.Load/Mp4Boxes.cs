using System.Buffers.Binary;

namespace Audiobook.Load;

/// <summary>Finds and replaces boxes of a real MP4 file, to make the variations tests and benchmarks need (a bigger cover, a hostile marker list).</summary>
public static class Mp4Boxes
{
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
}
