namespace Snn.Bridge;

/// <summary>numpy element types: typestr ("&lt;f4") to CLR type and back, and what to call them in messages.</summary>
public static class Numpy
{
    private static readonly (Type Clr, string TypeStr, string Name)[] Table =
    [
        (typeof(float), "<f4", "float32"), (typeof(double), "<f8", "float64"), (typeof(Half), "<f2", "float16"),
        (typeof(sbyte), "|i1", "int8"), (typeof(short), "<i2", "int16"), (typeof(int), "<i4", "int32"),
        (typeof(long), "<i8", "int64"), (typeof(byte), "|u1", "uint8"), (typeof(ushort), "<u2", "uint16"),
        (typeof(uint), "<u4", "uint32"), (typeof(ulong), "<u8", "uint64"), (typeof(bool), "|b1", "bool"),
    ];

    /// <summary>Whether arrays of <paramref name="clr"/> cross to numpy as numpy arrays.</summary>
    public static bool IsElement(Type clr) => Array.Exists(Table, e => e.Clr == clr);

    /// <summary>The numpy typestr of <paramref name="clr"/> (little-endian machine).</summary>
    public static string TypeStr(Type clr) => Array.Find(Table, e => e.Clr == clr).TypeStr
        ?? throw new ArgumentException($"{clr} has no numpy dtype");

    /// <summary>The numpy name of <paramref name="clr"/> ("float32").</summary>
    public static string Name(Type clr) => Array.Find(Table, e => e.Clr == clr).Name ?? Naming.CSharp(clr);

    /// <summary>The CLR element type of a numpy typestr, or null for dtypes that do not cross (complex, big-endian, ...).</summary>
    public static Type? Element(string typeStr)
    {
        if (typeStr.Length < 3) return null;
        var order = typeStr[0];
        if (order == '>' && BitConverter.IsLittleEndian) return null;
        var body = typeStr[1..];
        foreach (var e in Table)
            if (e.TypeStr[1..] == body) return e.Clr;
        return null;
    }

    /// <summary>How a message names a typestr: "float64", "complex128", "int64 (big-endian)".</summary>
    public static string Describe(string typeStr)
    {
        if (Element(typeStr) is { } clr) return Name(clr);
        if (typeStr.Length < 2) return typeStr;
        var bigEndian = typeStr[0] == '>';
        var body = typeStr[0] is '<' or '>' or '|' or '=' ? typeStr[1..] : typeStr;
        int.TryParse(body.AsSpan(1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var size);
        var name = body[0] switch
        {
            'b' => "bool",
            'i' => $"int{size * 8}",
            'u' => $"uint{size * 8}",
            'f' => $"float{size * 8}",
            'c' => $"complex{size * 8}",
            'O' => "object",
            'U' => "str",
            'S' => "bytes",
            'V' => "void (structured)",
            'M' => "datetime64",
            'm' => "timedelta64",
            _ => typeStr,
        };
        return bigEndian ? name + " (big-endian)" : name;
    }
}
