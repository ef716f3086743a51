using System.Collections;
using System.Runtime.InteropServices;

namespace Snn.Bridge.Fixture;

/// <summary>Colours: a plain enum.</summary>
public enum Color
{
    /// <summary>Red.</summary>
    Red = 0,
    /// <summary>Dark green (a two-word name).</summary>
    DarkGreen = 5,
    /// <summary>Blue.</summary>
    Blue = 6,
}

/// <summary>Access rights: a [Flags] enum.</summary>
[Flags]
public enum Access
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Read.</summary>
    Read = 1,
    /// <summary>Write.</summary>
    Write = 2,
}

/// <summary>Element types of <see cref="HostBuffer"/>, named like Snn.DType's.</summary>
public enum BufferDType
{
    /// <summary>float.</summary>
    Float32 = 0,
    /// <summary>double.</summary>
    Float64 = 1,
    /// <summary>int.</summary>
    Int32 = 2,
}

/// <summary>Overloads, defaults, params, statics, properties and fields.</summary>
public class Calculator
{
    /// <summary>A constant.</summary>
    public const int Answer = 42;

    /// <summary>A static read-only field.</summary>
    public static readonly string Greeting = "héllo wörld ✓ 🚀";

    /// <summary>Instances made so far.</summary>
    public static int Created { get; private set; }

    /// <summary>A static property with a setter.</summary>
    public static double Scale { get; set; } = 1.0;

    /// <summary>A public instance field.</summary>
    public int Counter;

    /// <summary>Creates a calculator.</summary>
    public Calculator() : this("calc") { }

    /// <summary>Creates a named calculator.</summary>
    public Calculator(string name, int precision = 2)
    {
        Name = name;
        Precision = precision;
        Created++;
    }

    /// <summary>Name (get and set).</summary>
    public string Name { get; set; }

    /// <summary>Precision (get only).</summary>
    public int Precision { get; }

    /// <summary>A write-only property.</summary>
    public string Secret { set => LastSecret = value; }

    /// <summary>The last value written to <see cref="Secret"/>.</summary>
    public string? LastSecret { get; private set; }

    /// <summary>Adds ints.</summary>
    public string Add(int a, int b) => $"int:{a + b}";

    /// <summary>Adds doubles.</summary>
    public string Add(double a, double b) => $"double:{a + b}";

    /// <summary>Concatenates strings.</summary>
    public string Add(string a, string b) => $"string:{a + b}";

    /// <summary>Overloads that differ by width.</summary>
    public static string Width(long value) => "long";

    /// <summary>Overloads that differ by width.</summary>
    public static string Width(byte value) => "byte";

    /// <summary>Defaults of several kinds.</summary>
    public static string Defaults(double x, double factor = 2.5, bool negate = false, string label = "r", Color color = Color.Blue, Calculator? other = null) =>
        $"{label}:{(negate ? -x * factor : x * factor)}:{color}:{other?.Name ?? "none"}";

    /// <summary>A params array.</summary>
    public static int Sum(params int[] values) => values.Sum();

    /// <summary>A fixed parameter before a params array.</summary>
    public static string Join(string separator, params string[] parts) => string.Join(separator, parts);

    /// <summary>Parameter names that are Python keywords or camelCase.</summary>
    public static string Keywords(int from, int lambdaValue, int maxItemCount) => $"{from}/{lambdaValue}/{maxItemCount}";

    /// <summary>Out and ref parameters.</summary>
    public static bool TryParse(string text, out int value) => int.TryParse(text, out value);

    /// <summary>A ref parameter.</summary>
    public static void Twice(ref int value) => value *= 2;

    /// <summary>Several out parameters and a result.</summary>
    public static int Split(double x, out int whole, out double fraction)
    {
        whole = (int)Math.Floor(x);
        fraction = x - whole;
        return whole;
    }

    /// <summary>A generic method whose type argument follows from the argument.</summary>
    public static string TypeOf<T>(T value) => typeof(T).Name;

    /// <summary>A generic method whose type argument cannot be inferred (not callable from Python).</summary>
    public static T Make<T>() where T : new() => new();

    /// <summary>An event (not supported by the bridge).</summary>
    public event EventHandler? Changed;

    /// <summary>Raises <see cref="Changed"/>.</summary>
    public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    /// <inheritdoc/>
    public override string ToString() => $"Calculator({Name})";
}

/// <summary>Integral ranges, floats, chars, enums and objects.</summary>
public static class Values
{
    /// <summary>A byte.</summary>
    public static int TakeByte(byte b) => b;
    /// <summary>An sbyte.</summary>
    public static int TakeSByte(sbyte b) => b;
    /// <summary>A ulong.</summary>
    public static ulong TakeULong(ulong v) => v;
    /// <summary>A long.</summary>
    public static long TakeLong(long v) => v;
    /// <summary>A float.</summary>
    public static float TakeFloat(float v) => v;
    /// <summary>A char.</summary>
    public static string TakeChar(char c) => ((int)c).ToString();
    /// <summary>A decimal.</summary>
    public static decimal TakeDecimal(decimal d) => d * 2;
    /// <summary>An enum.</summary>
    public static Color TakeColor(Color c) => c;
    /// <summary>A flags enum.</summary>
    public static Access Combine(Access a, Access b) => a | b;
    /// <summary>An undefined enum value coming back.</summary>
    public static Color Undefined() => (Color)99;
    /// <summary>ulong.MaxValue.</summary>
    public static ulong MaxULong() => ulong.MaxValue;
    /// <summary>long.MinValue.</summary>
    public static long MinLong() => long.MinValue;
    /// <summary>The runtime type of an object parameter.</summary>
    public static string Describe(object? o) => o is null ? "null" : $"{o.GetType().Name}:{o}";
    /// <summary>null or a string.</summary>
    public static string? MaybeNull(bool give) => give ? "given" : null;
    /// <summary>Whether a nullable int was given.</summary>
    public static string Nullable(int? value = null) => value is null ? "none" : $"int {value}";
    /// <summary>Echoes a string.</summary>
    public static string Echo(string s) => s;
    /// <summary>UTF-16 length of a string.</summary>
    public static int Utf16Length(string s) => s.Length;
    /// <summary>Whether two arguments are the same object.</summary>
    public static bool Same(object a, object b) => ReferenceEquals(a, b);
    /// <summary>A System.Type argument.</summary>
    public static string TypeName(Type t) => t.FullName!;
    /// <summary>A System.Type result.</summary>
    public static Type CalculatorType() => typeof(Calculator);
    /// <summary>bytes.</summary>
    public static int ByteSum(byte[] data) => data.Sum(b => b);
    /// <summary>A char array comes back as a string.</summary>
    public static char[] Chars() => ['a', 'b', 'ç'];
    /// <summary>A double.</summary>
    public static double Half(double x) => x / 2;
    /// <summary>Blocks the calling thread for <paramref name="milliseconds"/> (to show calls release the GIL).</summary>
    public static void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
    /// <summary>A BigInteger.</summary>
    public static string Big(System.Numerics.BigInteger n) => (n + 1).ToString();
    /// <summary>A BigInteger result.</summary>
    public static System.Numerics.BigInteger Square(System.Numerics.BigInteger n) => n * n;
}

/// <summary>Tuples both ways.</summary>
public static class Tuples
{
    /// <summary>A value tuple.</summary>
    public static (int, string) Pair() => (7, "seven");
    /// <summary>A named value tuple.</summary>
    public static (double X, double Y) Point => (1.5, -2.5);
    /// <summary>A reference tuple.</summary>
    public static Tuple<int, int, int> Triple() => Tuple.Create(1, 2, 3);
    /// <summary>A nested tuple with an array inside.</summary>
    public static (string, (int, int[])) Nested() => ("n", (1, [2, 3]));
    /// <summary>A tuple argument.</summary>
    public static int AddPair((int A, int B) pair) => pair.A + pair.B;
}

/// <summary>Arrays in and out, zero-copy views, sequences.</summary>
public static class Arrays
{
    private static float[] s_kept = [1f, 2f, 3f];

    /// <summary>0, 1, ..., n-1 as floats.</summary>
    public static float[] Floats(int n) => Enumerable.Range(0, n).Select(i => (float)i).ToArray();
    /// <summary>A 2-D array: [i, j] = 10 i + j.</summary>
    public static double[,] Grid(int rows, int cols)
    {
        var g = new double[rows, cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) g[i, j] = 10 * i + j;
        return g;
    }
    /// <summary>A 3-D int array.</summary>
    public static int[,,] Cube() => new int[2, 3, 4];
    /// <summary>Longs.</summary>
    public static long[] Longs() => [long.MinValue, 0, long.MaxValue];
    /// <summary>Bytes.</summary>
    public static byte[] Bytes() => [0, 127, 255];
    /// <summary>Unsigned ints.</summary>
    public static uint[] UInts() => [0, uint.MaxValue];
    /// <summary>Bools.</summary>
    public static bool[] Bools() => [true, false, true];
    /// <summary>An empty array.</summary>
    public static float[] Empty() => [];
    /// <summary>The same array every call: numpy writes reach C#.</summary>
    public static float[] Kept() => s_kept;
    /// <summary>Reads the kept array.</summary>
    public static float KeptAt(int i) => s_kept[i];
    /// <summary>Strings come back as a list.</summary>
    public static string[] Names() => ["a", "β", "c"];
    /// <summary>Objects come back as a list of proxies.</summary>
    public static Calculator[] Calculators() => [new Calculator("x"), new Calculator("y")];
    /// <summary>An array of enums.</summary>
    public static IReadOnlyList<Color> Colors() => [Color.Red, Color.Blue];
    /// <summary>A list.</summary>
    public static List<int> List() => [1, 2, 3];

    /// <summary>Sum of floats.</summary>
    public static double Sum(float[] x) => x.Sum();
    /// <summary>Sum of doubles.</summary>
    public static double Sum(double[] x) => x.Sum();
    /// <summary>Sum of a 2-D double array, weighted by position to check the layout.</summary>
    public static double Weighted(double[,] x)
    {
        double s = 0;
        for (var i = 0; i < x.GetLength(0); i++) for (var j = 0; j < x.GetLength(1); j++) s += x[i, j] * (i * 100 + j);
        return s;
    }
    /// <summary>Sum of ints.</summary>
    public static long SumInts(int[] x) => x.Sum(v => (long)v);
    /// <summary>Sum of longs.</summary>
    public static long SumLongs(long[] x) => x.Sum();
    /// <summary>Sum of bytes.</summary>
    public static long SumBytes(byte[] x) => x.Sum(v => (long)v);
    /// <summary>Sum of uints.</summary>
    public static long SumUInts(uint[] x) => x.Sum(v => (long)v);
    /// <summary>Sum of an IEnumerable.</summary>
    public static int SumEnumerable(IEnumerable<int> values) => values.Sum();
    /// <summary>Count of an IReadOnlyList.</summary>
    public static string JoinList(IReadOnlyList<string> items) => string.Join("|", items);
    /// <summary>A read-only dictionary, rendered in key order as "key=value;...".</summary>
    public static string Render(IReadOnlyDictionary<string, double> values) =>
        string.Join(";", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    /// <summary>A mutable dictionary with int keys: sums keys times values, then adds an entry the caller cannot see.</summary>
    public static long KeyTimesValue(Dictionary<int, long> values)
    {
        var sum = values.Sum(p => p.Key * p.Value);
        values[-1] = 0;
        return sum;
    }
    /// <summary>What an object parameter receives for a dict: its runtime type and, for nested dictionaries, theirs.</summary>
    public static string DescribeObject(object? value) => value switch
    {
        IReadOnlyDictionary<string, object> d => "Dictionary<string, object>{" +
            string.Join(",", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{DescribeObject(p.Value)}")) + "}",
        System.Collections.IDictionary d => $"{value.GetType().Name}[{d.Count}]",
        null => "null",
        _ => value.GetType().Name,
    };
    /// <summary>Shape of any array.</summary>
    public static string ShapeOf(Array a) => a.GetType().GetElementType()!.Name + "[" + string.Join(",", Enumerable.Range(0, a.Rank).Select(a.GetLength)) + "]";
    /// <summary>A jagged array.</summary>
    public static int Jagged(int[][] rows) => rows.Sum(r => r.Length);
    /// <summary>Sum through a read-only span over numpy memory.</summary>
    public static double SpanSum(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (var v in values) s += v;
        return s;
    }
    /// <summary>Fills a span (numpy memory) with 0, 1, 2, ...</summary>
    public static void Iota(Span<double> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = i;
    }
    /// <summary>A generic span method: T from the dtype.</summary>
    public static string SpanType<T>(ReadOnlySpan<T> values) where T : unmanaged => $"{typeof(T).Name}:{values.Length}";
}

/// <summary>A numpy-convertible parameter type (like Snn.Tensor): it declares WrapHost.</summary>
public sealed class HostBuffer : IDisposable
{
    private static int s_live;
    private IntPtr _data;
    private readonly long _count;

    private HostBuffer(IntPtr data, BufferDType dtype, long[] shape)
    {
        _data = data;
        DType = dtype;
        Shape = shape;
        _count = shape.Aggregate(1L, (a, b) => a * b);
        Interlocked.Increment(ref s_live);
    }

    /// <summary>Views not yet disposed.</summary>
    public static int Live => s_live;

    /// <summary>A view over caller memory.</summary>
    public static HostBuffer WrapHost(IntPtr data, long byteCapacity, BufferDType dtype, long[] shape)
    {
        var size = dtype switch { BufferDType.Float32 => 4, BufferDType.Float64 => 8, _ => 4 };
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (byteCapacity < count * size) throw new ArgumentException("byteCapacity too small");
        return new HostBuffer(data, dtype, shape);
    }

    /// <summary>Element type.</summary>
    public BufferDType DType { get; }

    /// <summary>Extents.</summary>
    public long[] Shape { get; }

    /// <summary>Sum of the elements.</summary>
    public unsafe double Sum()
    {
        ObjectDisposedException.ThrowIf(_data == IntPtr.Zero, this);
        double s = 0;
        for (long i = 0; i < _count; i++)
            s += DType switch
            {
                BufferDType.Float32 => ((float*)_data)[i],
                BufferDType.Float64 => ((double*)_data)[i],
                _ => ((int*)_data)[i],
            };
        return s;
    }

    /// <summary>Sum of a buffer given as a numpy array.</summary>
    public static double Total(HostBuffer buffer) => buffer.Sum();

    /// <summary>Writes <paramref name="value"/> into every element (of a float32 buffer).</summary>
    public static unsafe void Fill(HostBuffer buffer, float value)
    {
        for (long i = 0; i < buffer._count; i++) ((float*)buffer._data)[i] = value;
    }

    /// <summary>Describes an optional buffer.</summary>
    public static string Maybe(HostBuffer? buffer = null) => buffer is null ? "none" : string.Join("x", buffer.Shape);

    /// <summary>Returns a copy of the elements shaped like the buffer (float32 only): numpy.asarray uses it.</summary>
    public unsafe Array ToArray()
    {
        var array = Array.CreateInstance(typeof(float), Shape.Select(n => (int)n).ToArray());
        var span = MemoryMarshal.CreateSpan(ref System.Runtime.CompilerServices.Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(array)), (int)_count);
        new ReadOnlySpan<float>((void*)_data, (int)_count).CopyTo(span);
        return array;
    }

    /// <summary>An owned float32 buffer of <paramref name="count"/> elements (1, 2, 3, ...).</summary>
    public static unsafe HostBuffer Owned(int count)
    {
        var data = (float*)NativeMemory.Alloc((nuint)count, sizeof(float));
        for (var i = 0; i < count; i++) data[i] = i + 1;
        return new HostBuffer((IntPtr)data, BufferDType.Float32, [count]);
    }

    /// <summary>Ends the view.</summary>
    public void Dispose()
    {
        if (_data == IntPtr.Zero) return;
        _data = IntPtr.Zero;
        Interlocked.Decrement(ref s_live);
    }
}

/// <summary>A collection: len, iteration, indexers (int and string), IDisposable.</summary>
public sealed class Bag : IEnumerable<int>, IDisposable
{
    private readonly List<int> _items = [];

    /// <summary>Bags not yet disposed.</summary>
    public static int Open { get; private set; }

    /// <summary>A bag of <paramref name="items"/>.</summary>
    public Bag(params int[] items)
    {
        _items.AddRange(items);
        Open++;
    }

    /// <summary>Items.</summary>
    public int Count => Check()._items.Count;

    /// <summary>Whether Dispose ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Item by position.</summary>
    public int this[int index]
    {
        get => Check()._items[index];
        set => Check()._items[index] = value;
    }

    /// <summary>Item by name ("first" or "last").</summary>
    public int this[string name] => name switch
    {
        "first" => Check()._items[0],
        "last" => Check()._items[^1],
        _ => throw new KeyNotFoundException($"no item called '{name}'"),
    };

    /// <summary>Item by row and column of a 10-wide grid.</summary>
    public int this[int row, int col] => Check()._items[row * 10 + col];

    /// <summary>Adds an item.</summary>
    public void Add(int item) => Check()._items.Add(item);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => Check()._items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Yields the items doubled, lazily.</summary>
    public IEnumerable<int> Doubled()
    {
        foreach (var item in _items) yield return item * 2;
    }

    /// <summary>Disposes the bag; later calls throw ObjectDisposedException.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Open--;
    }

    private Bag Check()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return this;
    }
}

/// <summary>A disposable type with its own Close method, which Python must not hide.</summary>
public class Channel : IDisposable
{
    /// <summary>Whether Dispose ran.</summary>
    public bool Disposed { get; private set; }

    /// <summary>C#'s own Close.</summary>
    public string Close() => "closed by C#";

    /// <summary>Disposes.</summary>
    public void Dispose() => Disposed = true;
}

/// <summary>Inherits Close and Dispose.</summary>
public sealed class SubChannel : Channel
{
}

/// <summary>A struct with value equality.</summary>
public struct Vec2 : IEquatable<Vec2>
{
    /// <summary>Creates a vector.</summary>
    public Vec2(double x, double y)
    {
        X = x;
        Y = y;
    }

    /// <summary>X.</summary>
    public double X { get; set; }

    /// <summary>Y.</summary>
    public double Y { get; set; }

    /// <summary>Euclidean length.</summary>
    public readonly double Length => Math.Sqrt(X * X + Y * Y);

    /// <summary>Sum of two vectors.</summary>
    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);

    /// <inheritdoc/>
    public readonly bool Equals(Vec2 other) => X == other.X && Y == other.Y;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is Vec2 v && Equals(v);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(X, Y);

    /// <inheritdoc/>
    public override readonly string ToString() => $"({X}, {Y})";
}

/// <summary>A shape (an interface).</summary>
public interface IShape
{
    /// <summary>Area.</summary>
    double Area { get; }

    /// <summary>Name.</summary>
    string Describe();
}

/// <summary>A square.</summary>
public class Square : IShape
{
    /// <summary>Creates a square.</summary>
    public Square(double side) => Side = side;

    /// <summary>Side.</summary>
    public double Side { get; }

    /// <inheritdoc/>
    public double Area => Side * Side;

    /// <inheritdoc/>
    public virtual string Describe() => $"square {Side}";
}

/// <summary>A derived class: inherits members and overrides one.</summary>
public sealed class Cube : Square
{
    /// <summary>Creates a cube.</summary>
    public Cube(double side) : base(side) { }

    /// <summary>Volume.</summary>
    public double Volume => Side * Side * Side;

    /// <inheritdoc/>
    public override string Describe() => $"cube {Side}";
}

/// <summary>A type Python cannot construct.</summary>
public abstract class AbstractThing
{
    /// <summary>Abstract member.</summary>
    public abstract int Value { get; }
}

/// <summary>Makes shapes whose runtime type is not public.</summary>
public static class Shapes
{
    /// <summary>A circle, typed as the interface (its class is internal).</summary>
    public static IShape Circle(double radius) => new Circle(radius);

    /// <summary>A square typed as the interface.</summary>
    public static IShape Square(double side) => new Square(side);

    /// <summary>Total area of shapes.</summary>
    public static double TotalArea(IEnumerable<IShape> shapes) => shapes.Sum(s => s.Area);
}

internal sealed class Circle(double radius) : IShape
{
    public double Area => Math.PI * radius * radius;
    public string Describe() => $"circle {radius}";
}

/// <summary>The fixture's own exception root.</summary>
public class FixtureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FixtureException(string message, int code = 0) : base(message) => Code = code;

    /// <summary>An error code.</summary>
    public int Code { get; }
}

/// <summary>An argument error of the fixture (ValueError in Python).</summary>
public class FixtureArgumentException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public FixtureArgumentException(string message, string? paramName = null) : base(message, paramName) { }
}

/// <summary>Two levels below ArgumentException.</summary>
public sealed class DeepFixtureException : FixtureArgumentException
{
    /// <summary>Creates the exception.</summary>
    public DeepFixtureException(string message) : base(message, "deep") { }
}

/// <summary>Throws any kind of exception on request.</summary>
public static class Thrower
{
    /// <summary>Throws the exception called <paramref name="kind"/> with <paramref name="message"/>.</summary>
    public static void Throw(string kind, string message)
    {
        throw kind switch
        {
            "Argument" => new ArgumentException(message, "arg"),
            "ArgumentNull" => new ArgumentNullException("arg", message),
            "ArgumentOutOfRange" => new ArgumentOutOfRangeException("arg", message),
            "InvalidOperation" => new InvalidOperationException(message),
            "ObjectDisposed" => new ObjectDisposedException("thing", message),
            "NotSupported" => new NotSupportedException(message),
            "NotImplemented" => new NotImplementedException(message),
            "KeyNotFound" => new KeyNotFoundException(message),
            "IndexOutOfRange" => new IndexOutOfRangeException(message),
            "FileNotFound" => new FileNotFoundException(message, "missing.txt"),
            "DirectoryNotFound" => new DirectoryNotFoundException(message),
            "IO" => new IOException(message),
            "OutOfMemory" => new OutOfMemoryException(message),
            "Format" => new FormatException(message),
            "Overflow" => new OverflowException(message),
            "DivideByZero" => new DivideByZeroException(message),
            "Timeout" => new TimeoutException(message),
            "UnauthorizedAccess" => new UnauthorizedAccessException(message),
            "InvalidCast" => new InvalidCastException(message),
            "NullReference" => new NullReferenceException(message),
            "Fixture" => new FixtureException(message, 7),
            "FixtureArgument" => new FixtureArgumentException(message, "p"),
            "DeepFixture" => new DeepFixtureException(message),
            "Aggregate" => new AggregateException(message, new InvalidOperationException("inner")),
            _ => new Exception(message),
        };
    }

    /// <summary>Throws from deep inside a call chain, wrapping an inner exception.</summary>
    public static void Wrapped() => throw new FixtureException("outer", 1) { };

    /// <summary>Returns an exception object instead of throwing it.</summary>
    public static Exception Make(string message) => new InvalidOperationException(message);
}
