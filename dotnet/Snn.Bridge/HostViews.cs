using System.Collections.Concurrent;
using System.Reflection;

namespace Snn.Bridge;

/// <summary>
/// The registry of numpy-convertible parameter types: the one place where a type such as
/// <c>Snn.Tensor</c> is special. A type qualifies when it is <see cref="IDisposable"/> and declares
/// <c>public static T WrapHost(IntPtr data, long byteCapacity, TDType dtype, long[] shape)</c> returning
/// itself, with <c>TDType</c> an enum whose member names are element types (Float32, Float64, Int32,
/// Int64, UInt8, UInt32, ...). A numpy array passed for such a parameter becomes a zero-copy view
/// made by WrapHost, disposed as soon as the call returns (the called API must not keep it).
/// </summary>
public static class HostViews
{
    /// <summary>A WrapHost factory and the element types its dtype enum names.</summary>
    public sealed record Entry(MethodInfo WrapHost, IReadOnlyDictionary<Type, object> DTypes);

    private static readonly ConcurrentDictionary<Type, Entry?> Cache = new();

    // Member names of a dtype enum and the CLR element types they stand for.
    private static readonly Dictionary<string, Type> ElementNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Float32"] = typeof(float), ["Float64"] = typeof(double), ["Float16"] = typeof(Half),
        ["Int8"] = typeof(sbyte), ["Int16"] = typeof(short), ["Int32"] = typeof(int), ["Int64"] = typeof(long),
        ["UInt8"] = typeof(byte), ["UInt16"] = typeof(ushort), ["UInt32"] = typeof(uint), ["UInt64"] = typeof(ulong),
        ["Bool"] = typeof(bool),
    };

    /// <summary>The registry entry of <paramref name="type"/>, or null when numpy arrays cannot stand for it.</summary>
    public static Entry? Find(Type type) => Cache.GetOrAdd(type, Discover);

    private static Entry? Discover(Type type)
    {
        if (!typeof(IDisposable).IsAssignableFrom(type)) return null;
        var method = type.GetMethod("WrapHost", BindingFlags.Public | BindingFlags.Static);
        if (method is null || method.ReturnType != type) return null;
        var p = method.GetParameters();
        if (p.Length != 4 || p[0].ParameterType != typeof(IntPtr) || p[1].ParameterType != typeof(long)
            || !p[2].ParameterType.IsEnum || p[3].ParameterType != typeof(long[]))
            return null;
        var dtypes = new Dictionary<Type, object>();
        foreach (var name in Enum.GetNames(p[2].ParameterType))
            if (ElementNames.TryGetValue(name, out var element))
                dtypes[element] = Enum.Parse(p[2].ParameterType, name);
        return dtypes.Count == 0 ? null : new Entry(method, dtypes);
    }
}
