namespace Snn.Bridge;

/// <summary>A call Python made matches no overload, names an unknown keyword, or lacks an argument (Python TypeError).</summary>
public sealed class BindingException : Exception
{
    /// <summary>Creates the exception; the message lists the candidate signatures.</summary>
    public BindingException(string message) : base(message) { }
}

/// <summary>
/// Which Python built-in exception each .NET exception becomes. A type maps like its nearest listed
/// ancestor; System.Exception (and so anything unlisted) maps to RuntimeError.
/// </summary>
public static class ExceptionMap
{
    /// <summary>Token for the Python mixin every .NET exception class derives from (snn.clr.ClrError).</summary>
    public const string RootMixin = "ClrError";

    private static readonly Dictionary<Type, string> Builtins = new()
    {
        [typeof(Exception)] = "RuntimeError",
        [typeof(ArgumentException)] = "ValueError",
        [typeof(FormatException)] = "ValueError",
        [typeof(InvalidOperationException)] = "RuntimeError",
        [typeof(NotSupportedException)] = "NotImplementedError",
        [typeof(NotImplementedException)] = "NotImplementedError",
        [typeof(KeyNotFoundException)] = "KeyError",
        [typeof(IndexOutOfRangeException)] = "IndexError",
        [typeof(IOException)] = "OSError",
        [typeof(FileNotFoundException)] = "FileNotFoundError",
        [typeof(DirectoryNotFoundException)] = "FileNotFoundError",
        [typeof(UnauthorizedAccessException)] = "PermissionError",
        [typeof(OutOfMemoryException)] = "MemoryError",
        [typeof(ArithmeticException)] = "ArithmeticError",
        [typeof(OverflowException)] = "OverflowError",
        [typeof(DivideByZeroException)] = "ZeroDivisionError",
        [typeof(TimeoutException)] = "TimeoutError",
        [typeof(InvalidCastException)] = "TypeError",
        [typeof(BindingException)] = "TypeError",
    };

    // Python's own hierarchy among those built-ins (child -> parent), to keep a .NET base class as a
    // Python base only where the built-ins agree (FileNotFoundError is an OSError; ValueError is no RuntimeError).
    private static readonly Dictionary<string, string> PythonParents = new()
    {
        ["FileNotFoundError"] = "OSError", ["PermissionError"] = "OSError", ["TimeoutError"] = "OSError",
        ["OverflowError"] = "ArithmeticError", ["ZeroDivisionError"] = "ArithmeticError",
        ["KeyError"] = "LookupError", ["IndexError"] = "LookupError", ["NotImplementedError"] = "RuntimeError",
    };

    /// <summary>The types whose Python classes exist as soon as snn is imported (in snn.clr).</summary>
    public static IEnumerable<Type> WellKnown =>
        Builtins.Keys.Concat([typeof(ArgumentNullException), typeof(ArgumentOutOfRangeException), typeof(ObjectDisposedException)]);

    /// <summary>The built-in <paramref name="type"/> maps to.</summary>
    public static string Builtin(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (Builtins.TryGetValue(t, out var name)) return name;
        return "RuntimeError";
    }

    /// <summary>
    /// Python bases of the class for exception <paramref name="type"/>: built-in names (strings) and
    /// type ids (ints). The .NET base class stays a base when its built-in is the same as, or a
    /// Python ancestor of, this type's built-in; otherwise the class starts a new branch under
    /// (built-in, ClrError), so an ArgumentException is a ValueError and never a RuntimeError.
    /// </summary>
    public static IReadOnlyList<object> PythonBases(Type type)
    {
        if (type == typeof(Exception)) return ["RuntimeError", RootMixin];
        var own = Builtin(type);
        var parent = type.BaseType!;
        var inherited = Builtin(parent);
        if (own == inherited) return [Registry.TypeId(parent)];
        if (IsPythonAncestor(inherited, own)) return [own, Registry.TypeId(parent)];
        return [own, RootMixin];
    }

    private static bool IsPythonAncestor(string ancestor, string name)
    {
        for (var n = name; PythonParents.TryGetValue(n, out var parent); n = parent)
            if (parent == ancestor) return true;
        return false;
    }
}
