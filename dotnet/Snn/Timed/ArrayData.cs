using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Snn.Timed;

/// <summary>Conversions of caller arrays of any numeric element type (numpy arrays from Python arrive as managed
/// arrays of their dtype) into the double and int arrays time series keep.</summary>
internal static class ArrayData
{
    /// <summary>The elements of <paramref name="a"/> in row-major order, without copying.</summary>
    private static ReadOnlySpan<T> Flat<T>(Array a) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(a)), a.Length);

    /// <summary>Copies every element (row-major) as double; throws for non-numeric element types.</summary>
    public static double[] Doubles(Array a, string what)
    {
        var result = new double[a.Length];
        switch (a)
        {
            case double[] or double[,] or double[,,]: Flat<double>(a).CopyTo(result); break;
            default:
                var type = a.GetType().GetElementType()!;
                if (type == typeof(float)) Convert(Flat<float>(a), result);
                else if (type == typeof(int)) Convert(Flat<int>(a), result);
                else if (type == typeof(long)) Convert(Flat<long>(a), result);
                else if (type == typeof(short)) Convert(Flat<short>(a), result);
                else if (type == typeof(byte)) Convert(Flat<byte>(a), result);
                else if (type == typeof(sbyte)) Convert(Flat<sbyte>(a), result);
                else if (type == typeof(ushort)) Convert(Flat<ushort>(a), result);
                else if (type == typeof(uint)) Convert(Flat<uint>(a), result);
                else if (type == typeof(ulong)) Convert(Flat<ulong>(a), result);
                else if (type == typeof(bool))
                {
                    var flags = Flat<bool>(a);
                    for (var i = 0; i < flags.Length; i++) result[i] = flags[i] ? 1 : 0;
                }
                else if (type == typeof(Half)) Convert(Flat<Half>(a), result);
                else if (type == typeof(object))
                {
                    var i = 0;
                    foreach (var item in a)
                    {
                        result[i++] = item switch
                        {
                            null => throw Bad(what, a),
                            bool b => b ? 1 : 0,
                            IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                            _ => throw Bad(what, a),
                        };
                    }
                }
                else throw Bad(what, a);
                break;
        }
        return result;
    }

    /// <summary>A rank-1 array of doubles.</summary>
    public static double[] Vector(Array a, string what)
    {
        if (a.Rank != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{what} must be one-dimensional, got rank {a.Rank} [{Shape(a)}]; pass a flat list or 1-D array.");
        return Doubles(a, what);
    }

    /// <summary>A rank-1 or rank-2 array as a [rows, columns] matrix of doubles (rank 1 is one column).</summary>
    public static double[,] Matrix(Array a, string what)
    {
        if (a.Rank is not (1 or 2))
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{what} must be [time, channels] (or 1-D for one channel), got rank {a.Rank} [{Shape(a)}].");
        var rows = a.GetLength(0);
        var cols = a.Rank == 2 ? a.GetLength(1) : 1;
        var flat = Doubles(a, what);
        var m = new double[rows, cols];
        flat.AsSpan().CopyTo(Span(m));
        return m;
    }

    /// <summary>Integer values (channel ids, maps); every value must be a whole number in int range.</summary>
    public static int[] Ints(Array a, string what)
    {
        if (a.Rank != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"{what} must be one-dimensional, got rank {a.Rank} [{Shape(a)}].");
        if (a is int[] ints) return (int[])ints.Clone();
        if (a is long[] longs)
        {
            var narrowed = new int[longs.Length];
            for (var i = 0; i < longs.Length; i++)
            {
                if (longs[i] is < int.MinValue or > int.MaxValue)
                    throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{what}: element {i} = {longs[i]} is out of int range.");
                narrowed[i] = (int)longs[i];
            }
            return narrowed;
        }
        var d = Doubles(a, what);
        var result = new int[d.Length];
        for (var i = 0; i < d.Length; i++)
        {
            if (!(d[i] == Math.Floor(d[i]) && d[i] >= int.MinValue && d[i] <= int.MaxValue))
                throw new SnnArgumentException(ErrorCode.InvalidArgument,
                    $"{what} must hold whole numbers, but element {i} is {d[i]}; pass integer channel ids.");
            result[i] = (int)d[i];
        }
        return result;
    }

    /// <summary>The elements of a [rows, columns] matrix as one writable span.</summary>
    public static Span<double> Span(double[,] m) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(m)), m.Length);

    /// <summary>"2, 3" for a [2, 3] array.</summary>
    public static string Shape(Array a) => string.Join(", ", Enumerable.Range(0, a.Rank).Select(a.GetLength));

    private static void Convert<T>(ReadOnlySpan<T> source, Span<double> target) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (var i = 0; i < source.Length; i++) target[i] = double.CreateTruncating(source[i]);
    }

    private static SnnArgumentException Bad(string what, Array a) =>
        new(ErrorCode.InvalidArgument,
            $"{what} must hold numbers, got an array of {a.GetType().GetElementType()!.Name}; pass a numeric list or numpy array.");
}
