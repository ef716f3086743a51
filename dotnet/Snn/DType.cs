namespace Snn;

/// <summary>Element types of tensors; values match <c>snn_dtype</c>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32 = 0,
    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64 = 1,
    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    Int32 = 2,
    /// <summary>64-bit signed integer (<see cref="long"/>).</summary>
    Int64 = 3,
    /// <summary>8-bit unsigned integer (<see cref="byte"/>).</summary>
    UInt8 = 4,
    /// <summary>32-bit unsigned integer (<see cref="uint"/>).</summary>
    UInt32 = 5,
}

/// <summary>Maps element types between <see cref="DType"/> and CLR types.</summary>
public static class DTypes
{
    private static readonly (DType DType, Type Clr)[] Pairs =
    [
        (DType.Float32, typeof(float)), (DType.Float64, typeof(double)), (DType.Int32, typeof(int)),
        (DType.Int64, typeof(long)), (DType.UInt8, typeof(byte)), (DType.UInt32, typeof(uint)),
    ];

    /// <summary>The CLR element type of <paramref name="dtype"/>.</summary>
    public static Type ClrType(DType dtype)
    {
        foreach (var (d, clr) in Pairs) if (d == dtype) return clr;
        throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown DType");
    }

    /// <summary>The dtype whose elements are <paramref name="clrType"/>.</summary>
    /// <exception cref="ArgumentException">The type has no dtype.</exception>
    public static DType FromClrType(Type clrType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        foreach (var (d, clr) in Pairs) if (clr == clrType) return d;
        throw new ArgumentException(
            $"{clrType.Name} has no snn dtype; use one of {string.Join(", ", Pairs.Select(p => p.Clr.Name))}.", nameof(clrType));
    }

    /// <summary>Bytes of one element.</summary>
    public static int Size(DType dtype) => System.Runtime.InteropServices.Marshal.SizeOf(ClrType(dtype));
}
