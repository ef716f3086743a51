using System.Runtime.InteropServices;

namespace Snn.Bridge;

/// <summary>What a <see cref="Variant"/> holds. The numbers are part of the ABI (docs/python.md).</summary>
public enum Tag
{
    /// <summary>None / null.</summary>
    None = 0,
    /// <summary>A = 0 or 1.</summary>
    Bool = 1,
    /// <summary>A = signed 64-bit value.</summary>
    Int = 2,
    /// <summary>A = unsigned 64-bit value (Python ints in [2^63, 2^64)).</summary>
    UInt = 3,
    /// <summary>A = IEEE double bits.</summary>
    Float = 4,
    /// <summary>A = UTF-8 bytes, B = byte count.</summary>
    Str = 5,
    /// <summary>A = GCHandle of the object; Aux = type id of its runtime type (out).</summary>
    Object = 6,
    /// <summary>A = value; Aux = type id of the enum.</summary>
    Enum = 7,
    /// <summary>A = Variant array, B = count (Python list).</summary>
    List = 8,
    /// <summary>A = Variant array, B = count (Python tuple; C# tuples come out as this).</summary>
    Tuple = 9,
    /// <summary>In: A = pointer to <see cref="NdArrayIn"/>. Out: A = data, B = <see cref="NdArrayOut"/> block, C = pinned GCHandle.</summary>
    NdArray = 10,
    /// <summary>A = bytes, B = count (Python bytes / bytearray).</summary>
    Bytes = 11,
    /// <summary>Aux = type id (a proxy class passed where System.Type is expected, or a Type returned).</summary>
    Type = 12,
    /// <summary>A = UTF-8 decimal digits, B = byte count (a Python int outside the 64-bit ranges; a BigInteger out).</summary>
    BigInt = 13,
    /// <summary>In only: A = Variant array of 2 * count items (key, value, key, value, ...), B = count (Python dict).</summary>
    Dict = 14,
    /// <summary>Out only: the enumeration behind an iterator has ended.</summary>
    Stop = 254,
    /// <summary>Out only: A = UTF-8 JSON {type, message, stack}, B = byte count; Aux = type id of the exception.</summary>
    Error = 255,
}

/// <summary>
/// The blittable tagged value every argument and result crosses the ABI as: 32 bytes,
/// int32 tag, int32 aux, then three 64-bit payload words whose meaning depends on the tag.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct Variant
{
    /// <summary>A <see cref="Bridge.Tag"/>.</summary>
    public int Tag;
    /// <summary>Type id (objects, enums, types, errors) or 0.</summary>
    public int Aux;
    /// <summary>First payload word.</summary>
    public long A;
    /// <summary>Second payload word.</summary>
    public long B;
    /// <summary>Third payload word.</summary>
    public long C;

    /// <summary>The tag as an enum.</summary>
    public readonly Tag Kind => (Tag)Tag;
}

/// <summary>A numpy array passed in: Python fills it from the array's <c>__array_interface__</c> facts.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NdArrayIn
{
    /// <summary>Address of the first element.</summary>
    public IntPtr Data;
    /// <summary>Number of dimensions.</summary>
    public int NDim;
    /// <summary>Bit 0: the array is read-only.</summary>
    public int Flags;
    /// <summary>NDim extents.</summary>
    public long* Shape;
    /// <summary>NDim strides in bytes.</summary>
    public long* Strides;
    /// <summary>NUL-terminated numpy typestr, e.g. "&lt;f4".</summary>
    public byte* TypeStr;
}

/// <summary>Header of the block B points to in an outgoing <see cref="Tag.NdArray"/>; NDim extents follow it.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NdArrayOut
{
    /// <summary>Number of dimensions.</summary>
    public long NDim;
    /// <summary>NUL-padded ASCII numpy typestr.</summary>
    public fixed byte TypeStr[8];
}
