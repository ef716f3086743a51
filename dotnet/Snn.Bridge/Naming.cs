using System.Reflection;
using System.Text;

namespace Snn.Bridge;

/// <summary>The one place C# names become Python names.</summary>
public static class Naming
{
    private static readonly HashSet<string> PythonKeywords =
    [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ];

    /// <summary>
    /// PascalCase / camelCase to snake_case: a word starts at an upper-case letter after a lower-case
    /// letter or digit, and at the last capital of an acronym ("IOStream" -> "io_stream"). Digits stay
    /// with the word before them ("Float32" -> "float32", "Conv2D" -> "conv2d"), and a lone capital
    /// joins the word after it ("DType" -> "dtype", "UInt8" -> "uint8"). Underscores are kept.
    /// </summary>
    public static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        var wordLength = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_')
            {
                sb.Append('_');
                wordLength = 0;
                continue;
            }
            if (char.IsUpper(c) && i > 0)
            {
                var prev = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                var boundary = char.IsLower(prev) || (char.IsDigit(prev) && nextIsLower)
                    || (char.IsUpper(prev) && nextIsLower && wordLength >= 2);
                if (boundary && wordLength > 0)
                {
                    sb.Append('_');
                    wordLength = 0;
                }
            }
            sb.Append(char.ToLowerInvariant(c));
            wordLength++;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Python name of a member: the name given by a <c>[PythonName("...")]</c> attribute (matched by
    /// attribute name, so any assembly can declare one), else <see cref="Member(string)"/>.
    /// </summary>
    public static string Member(System.Reflection.MemberInfo member) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "PythonNameAttribute")
            is { ConstructorArguments: [{ Value: string name }] } ? name : Member(member.Name);

    /// <summary>Python name of a member or parameter: snake_case, with a trailing '_' after a Python keyword.</summary>
    public static string Member(string clrName)
    {
        var snake = Snake(clrName);
        return PythonKeywords.Contains(snake) ? snake + "_" : snake;
    }

    /// <summary>Python name of an enum member: UPPER_SNAKE ("Cuda" -> "CUDA", "UInt8" -> "UINT8").</summary>
    public static string EnumMember(string clrName) => Snake(clrName).ToUpperInvariant();

    /// <summary>
    /// Python module of <paramref name="ns"/>, given the root namespace loaded as <paramref name="rootModule"/>:
    /// each namespace part in snake_case, unless <paramref name="assembly"/> names that namespace's module with
    /// a <c>[assembly: PythonModule(namespace, name)]</c> attribute (matched by attribute name).
    /// </summary>
    public static string Module(string rootNamespace, string rootModule, string ns, Assembly? assembly = null)
    {
        if (ns == rootNamespace) return rootModule;
        var names = new Dictionary<string, string>();
        foreach (var a in assembly?.GetCustomAttributesData() ?? [])
            if (a.AttributeType.Name == "PythonModuleAttribute" && a.ConstructorArguments is [{ Value: string n }, { Value: string m }])
                names[n] = m;
        var module = rootModule;
        var current = rootNamespace;
        foreach (var part in ns[(rootNamespace.Length + 1)..].Split('.'))
        {
            current += "." + part;
            module += "." + (names.TryGetValue(current, out var name) ? name : Member(part));
        }
        return module;
    }

    /// <summary>Python class name: the C# simple name, closed generics as "List[Int32]".</summary>
    public static string Class(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            name += "[" + string.Join(", ", type.GetGenericArguments().Select(Class)) + "]";
        return name;
    }

    /// <summary>How C# code would write <paramref name="type"/>, for signatures in docs and errors.</summary>
    public static string CSharp(Type type)
    {
        if (type.IsByRef) return CSharp(type.GetElementType()!);
        if (type.IsPointer) return CSharp(type.GetElementType()!) + "*";
        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return CSharp(type.GetElementType()!) + "[" + new string(',', rank - 1) + "]";
        }
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return CSharp(underlying) + "?";
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (type.IsGenericParameter) return type.Name;
        if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
            return "(" + string.Join(", ", type.GetGenericArguments().Select(CSharp)) + ")";
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (type.IsGenericType)
            name += "<" + string.Join(", ", type.GetGenericArguments().Select(CSharp)) + ">";
        return type.IsNested ? CSharp(type.DeclaringType!) + "." + name : name;
    }

    /// <summary>The C# type of a parameter, with '?' where a reference type is annotated nullable.</summary>
    public static string CSharp(ParameterInfo parameter)
    {
        var text = CSharp(parameter.ParameterType);
        return IsNullableReference(parameter) ? text + "?" : text;
    }

    /// <summary>Whether a reference-type parameter is annotated nullable (<c>Device? device</c>).</summary>
    public static bool IsNullableReference(ParameterInfo parameter)
    {
        var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        if (type.IsValueType) return false;
        try
        {
            return new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.Nullable;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Python-style text of a default value ("None", "True", "DType.FLOAT32", "0.9").</summary>
    public static string PythonLiteral(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null || value is DBNull || value == Type.Missing)
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Literal(Activator.CreateInstance(type)) : "None";
        if (target.IsEnum)
        {
            var boxed = Enum.ToObject(target, value);
            var name = Enum.GetName(target, boxed);
            return name is null ? Convert.ToInt64(value).ToString() : Class(target) + "." + EnumMember(name);
        }
        return Literal(value);
    }

    private static string Literal(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
        char c => "'" + c + "'",
        float f => Real(f, f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        double d => Real(d, d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "None",
    };

    private static string Real(double value, string text)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool",
        [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };
}
