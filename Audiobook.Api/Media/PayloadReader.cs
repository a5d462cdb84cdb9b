using System.Buffers.Binary;

namespace Audiobook.Api.Media;

/// <summary>Reads big-endian fields of a box payload; running past the end is a malformed box, not a crash.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> data, string boxType)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly int Remaining => data.Length - position;

    public byte U8() => Take(1)[0];

    public uint U24() => (uint)((U8() << 16) | (U8() << 8) | U8());

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>A 64-bit field in version 1 boxes, 32-bit in version 0.</summary>
    public ulong Sized(bool wide) => wide ? U64() : U32();

    public ulong VarSized(int bytes) => bytes switch
    {
        1 => U8(),
        2 => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
        3 => U24(),
        4 => U32(),
        _ => U64(),
    };

    public string FourCC() => System.Text.Encoding.Latin1.GetString(Take(4));

    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new MalformedMp4Exception($"Box '{boxType}' is shorter than its fields.");
        }
        var span = data.Slice(position, count);
        position += count;
        return span;
    }
}
