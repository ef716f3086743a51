using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Snn.Bridge;

/// <summary>Why an argument does not fit a parameter; the kind picks the Python exception.</summary>
public enum FailKind
{
    /// <summary>Wrong kind of value (TypeError).</summary>
    Type,
    /// <summary>An integer outside the parameter type's range (OverflowError).</summary>
    Overflow,
    /// <summary>A numpy array of the wrong dtype, layout or rank (ValueError).</summary>
    Argument,
}

/// <summary>One conversion failure.</summary>
public sealed record Failure(FailKind Kind, string Message)
{
    /// <summary>The exception Python sees when this failure decides a call.</summary>
    public Exception ToException(string? parameter) => Kind switch
    {
        FailKind.Overflow => new OverflowException(Message),
        FailKind.Argument => new ArgumentException(Message, parameter),
        _ => new BindingException(Message),
    };
}

/// <summary>A span argument: where its elements are and how many (spans cannot be boxed).</summary>
public readonly record struct SpanArg(IntPtr Pointer, int Length);

/// <summary>What one call borrowed: host views to dispose and managed arrays to unpin when it returns.</summary>
public sealed class CallScope : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly List<GCHandle> _pins = [];

    /// <summary>Disposes <paramref name="value"/> when the call ends.</summary>
    public void Own(IDisposable value) => _owned.Add(value);

    /// <summary>Pins <paramref name="array"/> until the call ends and returns its first element's address.</summary>
    public IntPtr Pin(Array array)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        _pins.Add(handle);
        return handle.AddrOfPinnedObject();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        foreach (var pin in _pins) pin.Free();
        _owned.Clear();
        _pins.Clear();
    }
}

/// <summary>
/// Python values (variants) to CLR values. Every conversion returns a score (lower is a better
/// match, used to rank overloads) or -1 with a <see cref="Failure"/>. With a null scope it only
/// checks (no allocation), so overload resolution converts nothing for candidates it rejects.
/// </summary>
public static unsafe class Inbound
{
    private const int ObjectScore = 8;
    private const int Reject = -1;

    /// <summary>Converts <paramref name="v"/> for a parameter of type <paramref name="target"/>.</summary>
    public static int Convert(in Variant v, Type target, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        if (target.IsByRef) target = target.GetElementType()!;
        var tag = v.Kind;
        if (Nullable.GetUnderlyingType(target) is { } underlying)
        {
            if (tag == Tag.None) return 0;
            target = underlying;
        }
        if (tag == Tag.None)
        {
            if (!target.IsValueType) return target == typeof(object) ? 2 : 1;
            return Fail(FailKind.Type, $"None cannot be passed as {Naming.CSharp(target)}", out failure);
        }
        if (SpanElement(target, out var spanElement, out var writable))
            return ToSpan(v, spanElement, writable, scope, out value, out failure);
        if (target == typeof(object)) return ToNatural(v, scope, out value, out failure) < 0 ? Reject : ObjectScore;

        switch (tag)
        {
            case Tag.Bool:
                if (target == typeof(bool)) { value = v.A != 0; return 0; }
                break;
            case Tag.Int:
            case Tag.UInt:
            case Tag.BigInt:
                return ToNumber(v, target, out value, out failure);
            case Tag.Float:
                if (target == typeof(double)) { value = BitConverter.Int64BitsToDouble(v.A); return 0; }
                if (target == typeof(float))
                {
                    var d = BitConverter.Int64BitsToDouble(v.A);
                    if (double.IsFinite(d) && !float.IsFinite((float)d))
                        return Fail(FailKind.Overflow, $"{d} is out of range for float", out failure);
                    value = (float)d;
                    return 1;
                }
                if (target == typeof(Half)) { value = (Half)BitConverter.Int64BitsToDouble(v.A); return 2; }
                if (target == typeof(decimal))
                {
                    try { value = (decimal)BitConverter.Int64BitsToDouble(v.A); return 2; }
                    catch (OverflowException) { return Fail(FailKind.Overflow, "value is out of range for decimal", out failure); }
                }
                break;
            case Tag.Str:
                if (target == typeof(string)) { value = Utf8(v); return 0; }
                if (target == typeof(char))
                {
                    var s = Utf8(v);
                    if (s.Length == 1) { value = s[0]; return 1; }
                    return Fail(FailKind.Type, $"expected a string of one character for char, got {s.Length} characters", out failure);
                }
                break;
            case Tag.Enum:
            {
                var enumType = Registry.TypeOf(v.Aux);
                if (target == enumType) { value = Enum.ToObject(enumType, v.A); return 0; }
                if (IsIntegral(target)) return ToNumber(v with { Tag = (int)Tag.Int }, target, out value, out failure) < 0 ? Reject : 6;
                break;
            }
            case Tag.Object:
            {
                var obj = Handles.Target(v.A);
                if (target.IsInstanceOfType(obj)) { value = obj; return obj.GetType() == target ? 0 : 1; }
                return Fail(FailKind.Type, $"expected {Naming.CSharp(target)}, got {Naming.CSharp(obj.GetType())}", out failure);
            }
            case Tag.Type:
                if (target.IsAssignableFrom(typeof(Type))) { value = Registry.TypeOf(v.Aux); return 0; }
                break;
            case Tag.List:
            case Tag.Tuple:
                return FromSequence(v, target, scope, out value, out failure);
            case Tag.NdArray:
                return FromNdArray(v, target, scope, out value, out failure);
            case Tag.Dict:
                return FromDict(v, target, scope, out value, out failure);
            case Tag.Bytes:
            {
                if (target == typeof(byte[]) || (target.IsInterface && target.IsAssignableFrom(typeof(byte[]))))
                {
                    if (scope is not null) value = new ReadOnlySpan<byte>((void*)v.A, checked((int)v.B)).ToArray();
                    return target == typeof(byte[]) ? 0 : 2;
                }
                break;
            }
        }
        return Fail(FailKind.Type, $"cannot convert {Describe(v)} to {Naming.CSharp(target)}", out failure);
    }

    /// <summary>The value a Python object naturally is in .NET (for object parameters and Equals).</summary>
    public static int ToNatural(in Variant v, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        switch (v.Kind)
        {
            case Tag.None: return 0;
            case Tag.Bool: value = v.A != 0; return 0;
            case Tag.Int: value = v.A is >= int.MinValue and <= int.MaxValue ? (object)(int)v.A : v.A; return 0;
            case Tag.UInt: value = (ulong)v.A; return 0;
            case Tag.BigInt: value = BigInteger.Parse(Utf8(v), System.Globalization.CultureInfo.InvariantCulture); return 0;
            case Tag.Float: value = BitConverter.Int64BitsToDouble(v.A); return 0;
            case Tag.Str: value = Utf8(v); return 0;
            case Tag.Enum: value = Enum.ToObject(Registry.TypeOf(v.Aux), v.A); return 0;
            case Tag.Object: value = Handles.Target(v.A); return 0;
            case Tag.Type: value = Registry.TypeOf(v.Aux); return 0;
            case Tag.Bytes: return Convert(v, typeof(byte[]), scope, out value, out failure);
            case Tag.NdArray: return Convert(v, typeof(Array), scope, out value, out failure);
            case Tag.List:
            case Tag.Tuple: return Convert(v, typeof(object[]), scope, out value, out failure);
            case Tag.Dict:
                return Convert(v, AllKeysAreStrings(v) ? typeof(Dictionary<string, object>) : typeof(Dictionary<object, object>),
                    scope, out value, out failure);
            default: return Fail(FailKind.Type, $"unknown variant tag {v.Tag}", out failure);
        }
    }

    /// <summary>How an error message names a Python value: "int", "str", "ndarray(float64, shape (2, 3))", "Device".</summary>
    public static string Describe(in Variant v)
    {
        switch (v.Kind)
        {
            case Tag.None: return "None";
            case Tag.Bool: return "bool";
            case Tag.Int: case Tag.UInt: case Tag.BigInt: return "int";
            case Tag.Float: return "float";
            case Tag.Str: return "str";
            case Tag.Enum: return Naming.Class(Registry.TypeOf(v.Aux));
            case Tag.Object:
                try { return Naming.Class(Handles.Target(v.A).GetType()); }
                catch (InvalidOperationException) { return "released object"; }
            case Tag.Type: return "type";
            case Tag.List: return "list";
            case Tag.Tuple: return "tuple";
            case Tag.Dict: return "dict";
            case Tag.Bytes: return "bytes";
            case Tag.NdArray:
            {
                var a = (NdArrayIn*)v.A;
                return $"ndarray({Numpy.Describe(TypeStr(a))}, shape {Shape(a)})";
            }
            default: return $"variant tag {v.Tag}";
        }
    }

    /// <summary>Whether <paramref name="type"/> is <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public static bool SpanElement(Type type, out Type element, out bool writable)
    {
        element = typeof(void);
        writable = false;
        if (!type.IsGenericType || type.IsGenericTypeDefinition) return false;
        var definition = type.GetGenericTypeDefinition();
        if (definition != typeof(Span<>) && definition != typeof(ReadOnlySpan<>)) return false;
        element = type.GetGenericArguments()[0];
        writable = definition == typeof(Span<>);
        return true;
    }

    private static int ToNumber(in Variant v, Type target, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        BigInteger n = v.Kind switch
        {
            Tag.Int => new BigInteger(v.A),
            Tag.UInt => new BigInteger((ulong)v.A),
            _ => BigInteger.Parse(Utf8(v), System.Globalization.CultureInfo.InvariantCulture),
        };
        if (target == typeof(double)) { value = (double)n; return 3; }
        if (target == typeof(float)) { value = (float)n; return 4; }
        if (target == typeof(decimal))
        {
            try { value = (decimal)n; return 4; }
            catch (OverflowException) { return Fail(FailKind.Overflow, $"{n} is out of range for decimal", out failure); }
        }
        if (target == typeof(Half)) { value = (Half)(double)n; return 5; }
        if (target == typeof(BigInteger)) { value = n; return 3; }
        if (target.IsEnum)
        {
            var underlying = Enum.GetUnderlyingType(target);
            if (!InRange(n, underlying, out _))
                return Fail(FailKind.Overflow, $"{n} is out of range for {Naming.CSharp(target)}", out failure);
            var boxed = Enum.ToObject(target, (long)n);
            if (!Enum.IsDefined(target, boxed) && !target.IsDefined(typeof(FlagsAttribute), false))
                return Fail(FailKind.Type, $"{n} is not a value of enum {Naming.CSharp(target)}", out failure);
            value = boxed;
            return 5;
        }
        if (!IsIntegral(target))
            return Fail(FailKind.Type, $"cannot convert int to {Naming.CSharp(target)}", out failure);
        if (!InRange(n, target, out var range))
            return Fail(FailKind.Overflow, $"{n} is out of range for {Naming.CSharp(target)} ({range})", out failure);
        value = target == typeof(nint) ? (nint)(long)n
            : target == typeof(nuint) ? (nuint)(ulong)n
            : System.Convert.ChangeType(n.Sign < 0 ? (long)n : (object)(ulong)n, target, System.Globalization.CultureInfo.InvariantCulture);
        return target == typeof(int) ? 0 : target == typeof(long) ? 1 : 2;
    }

    private static bool IsIntegral(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte)
        || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) || t == typeof(nint) || t == typeof(nuint);

    private static bool InRange(BigInteger n, Type t, out string range)
    {
        var (lo, hi) = t switch
        {
            _ when t == typeof(sbyte) => ((BigInteger)sbyte.MinValue, (BigInteger)sbyte.MaxValue),
            _ when t == typeof(byte) => ((BigInteger)byte.MinValue, (BigInteger)byte.MaxValue),
            _ when t == typeof(short) => ((BigInteger)short.MinValue, (BigInteger)short.MaxValue),
            _ when t == typeof(ushort) => ((BigInteger)ushort.MinValue, (BigInteger)ushort.MaxValue),
            _ when t == typeof(int) => ((BigInteger)int.MinValue, (BigInteger)int.MaxValue),
            _ when t == typeof(uint) => ((BigInteger)uint.MinValue, (BigInteger)uint.MaxValue),
            _ when t == typeof(long) || t == typeof(nint) => ((BigInteger)long.MinValue, (BigInteger)long.MaxValue),
            _ => ((BigInteger)ulong.MinValue, (BigInteger)ulong.MaxValue),
        };
        range = $"{lo}..{hi}";
        return n >= lo && n <= hi;
    }

    private static int FromSequence(in Variant v, Type target, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B));

        if (IsTupleType(target))
        {
            var types = target.GetGenericArguments();
            if (types.Length != items.Length || types.Length > 7)
                return Fail(FailKind.Type, $"expected a sequence of {types.Length} items for {Naming.CSharp(target)}, got {items.Length}", out failure);
            var values = scope is null ? null : new object?[types.Length];
            var worst = 0;
            for (var i = 0; i < types.Length; i++)
            {
                var s = Convert(items[i], types[i], scope, out var item, out var f);
                if (s < 0) return Fail(f!.Kind, $"item {i}: {f.Message}", out failure);
                worst = Math.Max(worst, s);
                if (values is not null) values[i] = item;
            }
            if (scope is not null) value = Activator.CreateInstance(target, values);
            return 2 + worst;
        }

        Type element;
        int rank, score;
        if (target.IsArray) (element, rank, score) = (target.GetElementType()!, target.GetArrayRank(), 2);
        else if (target == typeof(Array)) return FromSequenceInferred(v, scope, out value, out failure);
        else if (SequenceElement(target) is { } e) (element, rank, score) = (e, 1, 3);
        else return Fail(FailKind.Type, $"cannot convert {Describe(v)} to {Naming.CSharp(target)}", out failure);

        var shape = new int[rank];
        Array.Fill(shape, -1);
        if (!SequenceShape(v, shape, 0, out var shapeError))
            return Fail(FailKind.Type, $"{shapeError} for {Naming.CSharp(target)}", out failure);
        for (var d = 0; d < rank; d++) shape[d] = Math.Max(shape[d], 0);
        var array = scope is null ? null : Array.CreateInstance(element, shape);
        var index = new int[rank];
        var worstItem = 0;
        if (!FillArray(v, element, array, index, 0, scope, ref worstItem, out failure)) return Reject;
        value = array;
        return score + worstItem;
    }

    // Extents of a nested list of rank shape.Length (entries start at -1): rectangular or an error.
    private static bool SequenceShape(in Variant v, int[] shape, int depth, out string? error)
    {
        error = null;
        if (v.Kind is not (Tag.List or Tag.Tuple))
        {
            error = $"expected a nested list of depth {shape.Length}";
            return false;
        }
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B));
        if (shape[depth] < 0) shape[depth] = items.Length;
        else if (shape[depth] != items.Length)
        {
            error = "expected a rectangular nested list (rows of equal length)";
            return false;
        }
        if (depth + 1 < shape.Length)
            foreach (ref readonly var item in items)
                if (!SequenceShape(item, shape, depth + 1, out error)) return false;
        return true;
    }

    private static bool FillArray(in Variant v, Type element, Array? array, int[] index, int depth, CallScope? scope,
        ref int worst, out Failure? failure)
    {
        failure = null;
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B));
        for (var i = 0; i < items.Length; i++)
        {
            index[depth] = i;
            if (depth + 1 < index.Length)
            {
                if (!FillArray(items[i], element, array, index, depth + 1, scope, ref worst, out failure)) return false;
                continue;
            }
            var s = Convert(items[i], element, scope, out var item, out var f);
            if (s < 0)
            {
                failure = f! with { Message = $"item {string.Join(", ", index)}: {f!.Message}" };
                return false;
            }
            worst = Math.Max(worst, s);
            array?.SetValue(item, index);
        }
        return true;
    }

    // A Python list for System.Array: the element type comes from the leaves (bool, long, double,
    // string or object), the rank from the nesting.
    private static int FromSequenceInferred(in Variant v, CallScope? scope, out object? value, out Failure? failure)
    {
        var rank = 1;
        var probe = v;
        while (probe.B > 0 && ((Variant*)probe.A)->Kind is Tag.List or Tag.Tuple)
        {
            probe = *(Variant*)probe.A;
            rank++;
        }
        var leaves = new HashSet<Tag>();
        CollectLeaves(v, leaves);
        leaves.Remove(Tag.List);
        leaves.Remove(Tag.Tuple);
        Type element =
            leaves.Count == 0 ? typeof(object)
            : leaves.All(t => t == Tag.Bool) ? typeof(bool)
            : leaves.All(t => t == Tag.Int) ? typeof(long)
            : leaves.All(t => t is Tag.Int or Tag.Float) ? typeof(double)
            : leaves.All(t => t == Tag.Str) ? typeof(string)
            : typeof(object);
        var s = FromSequence(v, rank == 1 ? element.MakeArrayType() : element.MakeArrayType(rank), scope, out value, out failure);
        return s < 0 ? Reject : 6;
    }

    private static void CollectLeaves(in Variant v, HashSet<Tag> leaves)
    {
        if (v.Kind is not (Tag.List or Tag.Tuple))
        {
            leaves.Add(v.Kind);
            return;
        }
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B));
        foreach (ref readonly var item in items) CollectLeaves(item, leaves);
    }

    // A Python dict for Dictionary<K, V> or an interface it implements (IReadOnlyDictionary<K, V>, IDictionary<K, V>,
    // ...): every key converted to K and value to V, as for parameters of those types. Equal converted keys: the
    // last one wins, as in the dict literal.
    private static int FromDict(in Variant v, Type target, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        if (!target.IsGenericType || target.GetGenericArguments().Length != 2)
            return Fail(FailKind.Type, $"cannot convert dict to {Naming.CSharp(target)}", out failure);
        var kv = target.GetGenericArguments();
        if (kv.Any(t => t.IsGenericParameter || t.IsByRefLike))
            return Fail(FailKind.Type, $"cannot convert dict to {Naming.CSharp(target)}", out failure);
        var dictionaryType = typeof(Dictionary<,>).MakeGenericType(kv);
        if (!target.IsAssignableFrom(dictionaryType))
            return Fail(FailKind.Type, $"cannot convert dict to {Naming.CSharp(target)}", out failure);
        var dictionary = scope is null ? null : (System.Collections.IDictionary)Activator.CreateInstance(dictionaryType)!;
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B * 2));
        var worst = 0;
        for (var i = 0; i < items.Length; i += 2)
        {
            if (items[i].Kind == Tag.None)
                return Fail(FailKind.Type, "dict keys cannot be None in .NET", out failure);
            var sk = Convert(items[i], kv[0], scope, out var key, out var f);
            if (sk < 0) return Fail(f!.Kind, $"key {i / 2}: {f.Message}", out failure);
            var sv = Convert(items[i + 1], kv[1], scope, out var item, out f);
            if (sv < 0) return Fail(f!.Kind, $"value {i / 2}: {f.Message}", out failure);
            worst = Math.Max(worst, Math.Max(sk, sv));
            if (dictionary is not null) dictionary[key!] = item;
        }
        value = dictionary;
        return (target == dictionaryType ? 0 : 1) + worst;
    }

    private static bool AllKeysAreStrings(in Variant v)
    {
        var items = new ReadOnlySpan<Variant>((void*)v.A, checked((int)v.B * 2));
        for (var i = 0; i < items.Length; i += 2)
            if (items[i].Kind != Tag.Str) return false;
        return true;
    }

    /// <summary>T when <paramref name="target"/> is a collection interface a T[] satisfies (IEnumerable&lt;T&gt;, IReadOnlyList&lt;T&gt;, ...), or object for non-generic ones.</summary>
    public static Type? SequenceElement(Type target)
    {
        if (!target.IsInterface) return null;
        if (target.IsGenericType && target.GetGenericArguments().Length == 1)
        {
            var t = target.GetGenericArguments()[0];
            return !t.IsGenericParameter && !t.IsByRefLike && target.IsAssignableFrom(t.MakeArrayType()) ? t : null;
        }
        return target.IsAssignableFrom(typeof(object[])) ? typeof(object) : null;
    }

    private static bool IsTupleType(Type t) =>
        t.IsGenericType && !t.IsGenericTypeDefinition && typeof(ITuple).IsAssignableFrom(t)
        && (t.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true
            || t.FullName?.StartsWith("System.Tuple`", StringComparison.Ordinal) == true);

    private static int FromNdArray(in Variant v, Type target, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        var a = (NdArrayIn*)v.A;
        var typeStr = TypeStr(a);
        var element = Numpy.Element(typeStr);

        if (HostViews.Find(target) is { } view)
        {
            if (element is null || !view.DTypes.TryGetValue(element, out var dtype) || !IsCContiguous(a, element))
            {
                var accepted = string.Join(", ", view.DTypes.Keys.Select(Numpy.Name));
                var hint = element is not null && view.DTypes.ContainsKey(element) ? element : view.DTypes.Keys.First();
                return Fail(FailKind.Argument,
                    $"expected a C-contiguous array of dtype {accepted} for {Naming.CSharp(target)}, got {Describe(v)}"
                    + (element is not null && !IsCContiguous(a, element) ? " that is not C-contiguous" : "")
                    + $"; call numpy.ascontiguousarray(x, dtype=numpy.{Numpy.Name(hint)})", out failure);
            }
            if (scope is not null)
            {
                var shape = new long[a->NDim];
                for (var d = 0; d < shape.Length; d++) shape[d] = a->Shape[d];
                var bytes = ElementCount(a) * Marshal.SizeOf(element == typeof(bool) ? typeof(byte) : element);
                var wrapped = view.WrapHost.Invoke(null, System.Reflection.BindingFlags.DoNotWrapExceptions, null,
                    [a->Data, bytes, dtype, shape], null)!;
                scope.Own((IDisposable)wrapped);
                value = wrapped;
            }
            return 1;
        }

        Type? wanted = null;
        int rank = -1, score = 2;
        if (target.IsArray && Numpy.IsElement(target.GetElementType()!)) (wanted, rank) = (target.GetElementType()!, target.GetArrayRank());
        else if (target == typeof(Array)) (wanted, rank, score) = (element, a->NDim, 4);
        else if (SequenceElement(target) is { } e && Numpy.IsElement(e)) (wanted, rank, score) = (e, 1, 3);
        if (wanted is null && target != typeof(Array))
            return Fail(FailKind.Type, $"cannot convert {Describe(v)} to {Naming.CSharp(target)}", out failure);
        if (wanted is null || element != wanted || !IsCContiguous(a, element))
        {
            var name = wanted is null ? "numeric" : Numpy.Name(wanted);
            return Fail(FailKind.Argument,
                $"expected a C-contiguous {name} array for {Naming.CSharp(target)}, got {Describe(v)}"
                + (element is not null && element == wanted ? " that is not C-contiguous" : "")
                + $"; call numpy.ascontiguousarray(x, dtype=numpy.{(wanted is null ? "float32" : Numpy.Name(wanted))})", out failure);
        }
        if (a->NDim != rank)
            return Fail(FailKind.Argument,
                $"expected a {rank}-D {Numpy.Name(wanted)} array for {Naming.CSharp(target)}, got {Describe(v)}; reshape it first", out failure);
        if (scope is not null)
        {
            var lengths = new int[Math.Max(rank, 1)];
            for (var d = 0; d < rank; d++) lengths[d] = checked((int)a->Shape[d]);
            var array = Array.CreateInstance(wanted, lengths);
            var bytes = checked((long)ElementCount(a) * Marshal.SizeOf(wanted == typeof(bool) ? typeof(byte) : wanted));
            if (bytes > 0)
                Buffer.MemoryCopy((void*)a->Data, Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)), bytes, bytes);
            value = array;
        }
        return score;
    }

    private static int ToSpan(in Variant v, Type element, bool writable, CallScope? scope, out object? value, out Failure? failure)
    {
        value = null;
        failure = null;
        var target = (writable ? typeof(Span<>) : typeof(ReadOnlySpan<>)).MakeGenericType(element);
        if (v.Kind == Tag.NdArray)
        {
            var a = (NdArrayIn*)v.A;
            var actual = Numpy.Element(TypeStr(a));
            if (actual != element || !IsCContiguous(a, actual))
                return Fail(FailKind.Argument,
                    $"expected a C-contiguous {Numpy.Name(element)} array for {Naming.CSharp(target)}, got {Describe(v)}"
                    + (actual == element ? " that is not C-contiguous" : "")
                    + $"; call numpy.ascontiguousarray(x, dtype=numpy.{Numpy.Name(element)})", out failure);
            if (writable && (a->Flags & 1) != 0)
                return Fail(FailKind.Argument, $"{Naming.CSharp(target)} is written to, but the array is read-only; pass a writeable copy (x.copy())", out failure);
            var count = ElementCount(a);
            if (count > int.MaxValue)
                return Fail(FailKind.Argument, $"{count} elements are too many for a span", out failure);
            value = new SpanArg(a->Data, (int)count);
            return 0;
        }
        // Anything an array of the element type accepts (lists, bytes): converted, then pinned for the call.
        var s = Convert(v, element.MakeArrayType(), scope, out var array, out failure);
        if (s < 0) return Reject;
        if (scope is not null)
        {
            var managed = (Array)array!;
            value = new SpanArg(scope.Pin(managed), managed.Length);
        }
        return s + 1;
    }

    /// <summary>Elements of a numpy array.</summary>
    public static long ElementCount(NdArrayIn* a)
    {
        long n = 1;
        for (var d = 0; d < a->NDim; d++) n *= a->Shape[d];
        return n;
    }

    private static bool IsCContiguous(NdArrayIn* a, Type element)
    {
        if (a->Strides is null) return true;
        long expected = Marshal.SizeOf(element == typeof(bool) ? typeof(byte) : element);
        if (ElementCount(a) == 0) return true;
        for (var d = a->NDim - 1; d >= 0; d--)
        {
            if (a->Shape[d] != 1 && a->Strides[d] != expected) return false;
            expected *= a->Shape[d];
        }
        return true;
    }

    /// <summary>The typestr of an incoming array.</summary>
    public static string TypeStr(NdArrayIn* a) => a->TypeStr is null ? "?" : Marshal.PtrToStringUTF8((IntPtr)a->TypeStr) ?? "?";

    /// <summary>Python-style shape text "(2, 3)".</summary>
    public static string Shape(NdArrayIn* a)
    {
        var dims = new string[a->NDim];
        for (var d = 0; d < dims.Length; d++) dims[d] = a->Shape[d].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return dims.Length == 1 ? $"({dims[0]},)" : "(" + string.Join(", ", dims) + ")";
    }

    /// <summary>A string variant's text.</summary>
    public static string Utf8(in Variant v) => v.B == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString((byte*)v.A, checked((int)v.B));

    private static int Fail(FailKind kind, string message, out Failure? failure)
    {
        failure = new Failure(kind, message);
        return Reject;
    }
}
