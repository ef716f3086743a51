using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Snn.Bridge;

/// <summary>
/// CLR values to variants. Memory for strings, lists and array shapes comes from NativeMemory and
/// is freed by <see cref="Free"/> (Python calls FreeResult once it has read the variant); object
/// handles and pinned arrays belong to Python from then on and are freed by Release.
/// </summary>
public static unsafe class Outbound
{
    /// <summary>Writes <paramref name="value"/> into <paramref name="v"/>.</summary>
    public static void Write(object? value, Variant* v)
    {
        *v = default;
        switch (value)
        {
            case null:
                v->Tag = (int)Tag.None;
                return;
            case bool b:
                v->Tag = (int)Tag.Bool;
                v->A = b ? 1 : 0;
                return;
            case Enum e:
                v->Tag = (int)Tag.Enum;
                v->Aux = Registry.TypeId(e.GetType());
                v->A = Enum.GetUnderlyingType(e.GetType()) == typeof(ulong) ? unchecked((long)System.Convert.ToUInt64(e)) : System.Convert.ToInt64(e);
                return;
            case sbyte or short or int or long or byte or ushort or uint or nint:
                v->Tag = (int)Tag.Int;
                v->A = System.Convert.ToInt64(value is nint p ? (long)p : value);
                return;
            case ulong or nuint:
            {
                var u = value is nuint np ? (ulong)np : (ulong)value;
                v->Tag = (int)(u > long.MaxValue ? Tag.UInt : Tag.Int);
                v->A = unchecked((long)u);
                return;
            }
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue:
                v->Tag = (int)Tag.Int;
                v->A = (long)big;
                return;
            case BigInteger big:
                WriteString(big.ToString(System.Globalization.CultureInfo.InvariantCulture), v);
                v->Tag = (int)Tag.BigInt;
                return;
            case float or double or Half or decimal:
                v->Tag = (int)Tag.Float;
                v->A = BitConverter.DoubleToInt64Bits(value is Half h ? (double)h : System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
            case char c:
                WriteString(c.ToString(), v);
                return;
            case string s:
                WriteString(s, v);
                return;
            case char[] chars:
                WriteString(new string(chars), v);
                return;
            case TupleResult tuple:
                WriteSequence(tuple.Items, Tag.Tuple, v);
                return;
            case Array array when Numpy.IsElement(array.GetType().GetElementType()!):
                WriteNdArray(array, v);
                return;
            case Array array:
                WriteArrayAsList(array, v);
                return;
            case ITuple tuple when value.GetType().FullName?.StartsWith("System.", StringComparison.Ordinal) == true:
            {
                var items = new object?[tuple.Length];
                for (var i = 0; i < items.Length; i++) items[i] = tuple[i];
                WriteSequence(items, Tag.Tuple, v);
                return;
            }
            case IEnumerable list when IsHiddenList(value.GetType()):
                // A compiler-made or internal read-only list (a collection expression typed
                // IReadOnlyList<T>, ...): Python gets a list of its items, not an opaque proxy.
                WriteSequence(list.Cast<object?>().ToArray(), Tag.List, v);
                return;
            case Type type:
                v->Tag = (int)Tag.Type;
                v->Aux = Registry.TypeId(type);
                return;
            default:
                v->Tag = (int)Tag.Object;
                v->Aux = Registry.TypeId(value.GetType());
                v->A = Handles.Alloc(value);
                return;
        }
    }

    private static bool IsHiddenList(Type type) =>
        !type.IsVisible && (typeof(IList).IsAssignableFrom(type)
            || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)));

    /// <summary>Writes an exception for Python to raise: Aux = its type id, A/B = JSON {type, message, stack}, C = handle of the exception object.</summary>
    public static void WriteError(Exception error, Variant* v)
    {
        *v = default;
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["type"] = error.GetType().FullName,
            ["message"] = error.Message,
            ["stack"] = error.StackTrace,
        });
        v->Tag = (int)Tag.Error;
        v->Aux = Registry.TypeId(error.GetType());
        v->A = (long)CopyBytes(json);
        v->B = json.Length;
        v->C = Handles.Alloc(error);
    }

    /// <summary>Writes UTF-8 <paramref name="bytes"/> as a string variant.</summary>
    public static void WriteUtf8(ReadOnlySpan<byte> bytes, Variant* v)
    {
        *v = default;
        v->Tag = (int)Tag.Str;
        v->A = (long)CopyBytes(bytes);
        v->B = bytes.Length;
    }

    /// <summary>Frees what <see cref="Write"/> allocated (recursively); handles are not touched.</summary>
    public static void Free(Variant* v)
    {
        switch (v->Kind)
        {
            case Tag.Str:
            case Tag.BigInt:
            case Tag.Error:
                NativeMemory.Free((void*)v->A);
                break;
            case Tag.List:
            case Tag.Tuple:
                for (long i = 0; i < v->B; i++) Free((Variant*)v->A + i);
                NativeMemory.Free((void*)v->A);
                break;
            case Tag.NdArray:
                NativeMemory.Free((void*)v->B);
                break;
        }
        v->A = 0;
        v->B = 0;
        v->Tag = (int)Tag.None;
    }

    private static void WriteString(string s, Variant* v)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(s);
        var buffer = (byte*)NativeMemory.Alloc((nuint)Math.Max(count, 1));
        System.Text.Encoding.UTF8.GetBytes(s, new Span<byte>(buffer, count));
        v->Tag = (int)Tag.Str;
        v->A = (long)buffer;
        v->B = count;
    }

    private static byte* CopyBytes(ReadOnlySpan<byte> bytes)
    {
        var buffer = (byte*)NativeMemory.Alloc((nuint)Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        return buffer;
    }

    // Zero copy: numpy gets the address of the pinned managed array; the pin lasts until Python releases it.
    private static void WriteNdArray(Array array, Variant* v)
    {
        var rank = array.Rank;
        var meta = (NdArrayOut*)NativeMemory.AllocZeroed((nuint)(sizeof(NdArrayOut) + rank * sizeof(long)));
        meta->NDim = rank;
        var typeStr = Numpy.TypeStr(array.GetType().GetElementType()!);
        for (var i = 0; i < typeStr.Length; i++) meta->TypeStr[i] = (byte)typeStr[i];
        var shape = (long*)(meta + 1);
        for (var d = 0; d < rank; d++) shape[d] = array.GetLongLength(d);
        var handle = Handles.Pin(array);
        v->Tag = (int)Tag.NdArray;
        v->A = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        v->B = (long)meta;
        v->C = handle;
    }

    private static void WriteArrayAsList(Array array, Variant* v)
    {
        if (array.Rank == 1)
        {
            var items = new object?[array.Length];
            array.CopyTo(items, 0);
            WriteSequence(items, Tag.List, v);
            return;
        }
        WriteSequence(Rows(array, new int[array.Rank], 0), Tag.List, v);
    }

    // A multi-dimensional array of objects as nested lists.
    private static object?[] Rows(Array array, int[] index, int depth)
    {
        var items = new object?[array.GetLength(depth)];
        for (var i = 0; i < items.Length; i++)
        {
            index[depth] = i;
            items[i] = depth + 1 == array.Rank ? array.GetValue(index) : new NestedList(Rows(array, index, depth + 1));
        }
        return items;
    }

    private sealed record NestedList(object?[] Items);

    private static void WriteSequence(object?[] items, Tag tag, Variant* v)
    {
        var buffer = (Variant*)NativeMemory.AllocZeroed((nuint)Math.Max(items.Length, 1), (nuint)sizeof(Variant));
        try
        {
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i] is NestedList nested) WriteSequence(nested.Items, Tag.List, buffer + i);
                else Write(items[i], buffer + i);
            }
        }
        catch
        {
            for (var i = 0; i < items.Length; i++) Release(buffer + i);
            NativeMemory.Free(buffer);
            throw;
        }
        v->Tag = (int)tag;
        v->A = (long)buffer;
        v->B = items.Length;
    }

    /// <summary>Frees a variant that never reached Python, handles included.</summary>
    public static void Release(Variant* v)
    {
        if (v->Kind == Tag.Object) Handles.Free(v->A);
        if (v->Kind == Tag.NdArray) Handles.Free(v->C);
        if (v->Kind is Tag.List or Tag.Tuple)
            for (long i = 0; i < v->B; i++) Release((Variant*)v->A + i);
        if (v->Kind is not (Tag.List or Tag.Tuple)) Free(v);
        else
        {
            NativeMemory.Free((void*)v->A);
            *v = default;
        }
    }
}
