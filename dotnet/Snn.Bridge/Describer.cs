using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Snn.Bridge;

/// <summary>A public member the bridge cannot offer to Python, and why.</summary>
public sealed record Skip(string Type, string Member, string Reason);

/// <summary>
/// Builds the JSON description Python turns into modules and classes, by reflection over public
/// types: kind, bases, enum members, constructors, methods (all overloads), properties, fields,
/// indexers, docs, and the capabilities behind Python protocols (len, iter, getitem, with, __array__, mappings).
/// Each type is described once; describing it creates the member ids Python calls with.
/// </summary>
public static class Describer
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    private static readonly object Gate = new();
    private static readonly Dictionary<Type, (byte[] Json, List<Skip> Skipped)> Cache = [];

    /// <summary>The description of <paramref name="type"/> and what of it was skipped.</summary>
    public static (byte[] Json, List<Skip> Skipped) Describe(Type type)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(type, out var cached)) return cached;
            var skipped = new List<Skip>();
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer)) Write(type, w, skipped);
            var result = (buffer.WrittenSpan.ToArray(), skipped);
            Cache[type] = result;
            return result;
        }
    }

    /// <summary>Python class name: the C# name, except System.Exception, which is ClrException.</summary>
    public static string PythonClassName(Type type) => type == typeof(Exception) ? "ClrException" : Naming.Class(type);

    /// <summary>Why Python cannot call <paramref name="method"/>, or null when it can.</summary>
    public static string? Unsupported(MethodBase method)
    {
        if (method.ContainsGenericParameters && method is MethodInfo { IsGenericMethodDefinition: true } generic)
        {
            var inferable = generic.GetGenericArguments().All(a => method.GetParameters().Any(p => Mentions(p.ParameterType, a)));
            if (!inferable) return "its generic type arguments cannot be inferred from the arguments";
        }
        var parameters = method.GetParameters();
        var spans = false;
        var byRef = false;
        foreach (var p in parameters)
        {
            var type = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            if (p.ParameterType.IsByRef) byRef = true;
            if (type.IsPointer || type.IsFunctionPointer) return $"parameter '{p.Name}' is a pointer";
            if (Inbound.SpanElement(type, out _, out _))
            {
                if (p.ParameterType.IsByRef) return $"parameter '{p.Name}' is a span passed by reference";
                spans = true;
            }
            else if (type.IsByRefLike) return $"parameter '{p.Name}' has by-ref-like type {Naming.CSharp(type)}";
        }
        if (spans && byRef) return "it mixes span parameters with ref or out parameters";
        if (method is MethodInfo mi)
        {
            var ret = mi.ReturnType;
            if (ret.IsByRef) return "it returns by reference";
            if (ret.IsPointer || ret.IsFunctionPointer) return "it returns a pointer";
            if (ret.IsByRefLike) return $"it returns by-ref-like type {Naming.CSharp(ret)}, which cannot leave the call";
        }
        return null;
    }

    private static bool Mentions(Type type, Type genericArgument)
    {
        if (type == genericArgument) return true;
        if (type.HasElementType) return Mentions(type.GetElementType()!, genericArgument);
        return type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, genericArgument));
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum"
        : type.IsInterface ? "interface"
        : typeof(Exception).IsAssignableFrom(type) ? "exception"
        : type.IsValueType ? "struct"
        : "class";

    private static void Write(Type type, Utf8JsonWriter w, List<Skip> skipped)
    {
        var kind = Kind(type);
        w.WriteStartObject();
        w.WriteNumber("id", Registry.TypeId(type));
        w.WriteString("name", PythonClassName(type));
        w.WriteString("clr", type.FullName ?? type.Name);
        w.WriteString("module", Registry.ModuleOf(type));
        if (type.IsNested && type.DeclaringType!.IsVisible) w.WriteNumber("declaring", Registry.TypeId(type.DeclaringType));
        else w.WriteNull("declaring");
        w.WriteString("kind", kind);
        w.WriteBoolean("visible", type.IsVisible);
        w.WriteBoolean("abstract", type.IsAbstract && !type.IsInterface && !type.IsSealed);
        w.WriteBoolean("static", type.IsAbstract && type.IsSealed);
        w.WriteString("doc", XmlDocs.For(type));

        if (kind == "enum")
        {
            WriteEnum(type, w);
            w.WriteEndObject();
            return;
        }

        w.WriteStartArray("bases");
        foreach (var b in Bases(type)) w.WriteNumberValue(Registry.TypeId(b));
        w.WriteEndArray();
        if (kind == "exception")
        {
            w.WriteStartArray("pybases");
            foreach (var b in ExceptionMap.PythonBases(type))
            {
                if (b is int id) w.WriteNumberValue(id);
                else w.WriteStringValue((string)b);
            }
            w.WriteEndArray();
        }

        var typeName = type.FullName ?? type.Name;
        if (type.IsVisible)
        {
            var ctorGroup = Registry.Add(new MemberGroup(type, "__init__", ".ctor", MemberKind.Constructor, isStatic: true)
            {
                Methods = Bindable(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance), typeName, skipped),
            });
            w.WriteStartObject("ctor");
            w.WriteNumber("id", ctorGroup.Id);
            WriteOverloads(w, ctorGroup.Methods, "__init__");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("ctor");
        }

        var groups = type.IsVisible ? Members(type, skipped) : [];
        w.WriteStartArray("members");
        foreach (var g in groups) WriteGroup(g, w);
        w.WriteEndArray();

        w.WriteStartObject("capabilities");
        w.WriteBoolean("iter", typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string));
        w.WriteBoolean("len", HasLength(type));
        var indexer = groups.FirstOrDefault(g => g.Kind == MemberKind.Indexer);
        if (indexer is null) w.WriteNull("getitem");
        else w.WriteNumber("getitem", indexer.Id);
        w.WriteBoolean("setitem", indexer?.Indexers.Any(p => p.SetMethod is { IsPublic: true }) == true);
        w.WriteBoolean("dispose", typeof(IDisposable).IsAssignableFrom(type));
        // Dictionaries (any IReadOnlyDictionary<,> or IDictionary<,>) behave as Python mappings.
        w.WriteBoolean("mapping", type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>))));
        var toArray = groups.FirstOrDefault(g => g.Kind == MemberKind.Method && g.ClrName == "ToArray" && !g.IsStatic
            && g.Methods.Any(m => m.GetParameters().Length == 0 && m is MethodInfo mi
                && (mi.ReturnType == typeof(Array) || mi.ReturnType.IsArray)));
        if (toArray is null) w.WriteNull("array");
        else w.WriteNumber("array", toArray.Id);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEnum(Type type, Utf8JsonWriter w)
    {
        w.WriteStartObject("enum");
        w.WriteBoolean("flags", type.IsDefined(typeof(FlagsAttribute), false));
        w.WriteStartArray("members");
        var unsigned = Enum.GetUnderlyingType(type) == typeof(ulong);
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            w.WriteStartObject();
            w.WriteString("name", Naming.EnumMember(field.Name));
            w.WriteString("clr", field.Name);
            var raw = field.GetRawConstantValue()!;
            if (unsigned) w.WriteNumber("value", System.Convert.ToUInt64(raw));
            else w.WriteNumber("value", System.Convert.ToInt64(raw));
            w.WriteString("doc", XmlDocs.For(field));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Python bases: the base class (unless object/ValueType) and the interfaces not already implied;
    // interfaces only where they add something (interfaces themselves, types Python cannot see, and
    // interfaces of loaded namespaces), so a public class does not drag in every BCL interface.
    private static List<Type> Bases(Type type)
    {
        var bases = new List<Type>();
        var baseType = type.BaseType;
        while (baseType is not null && !baseType.IsVisible) baseType = baseType.BaseType;
        if (baseType is not null && baseType != typeof(object) && baseType != typeof(ValueType) && !typeof(Exception).IsAssignableFrom(type))
            bases.Add(baseType);
        var inherited = baseType?.GetInterfaces() ?? [];
        var candidates = type.GetInterfaces()
            .Where(i => i.IsVisible && !inherited.Contains(i))
            .Where(i => type.IsInterface || !type.IsVisible || Registry.ModuleOf(i) != Registry.ForeignModule)
            .ToList();
        bases.AddRange(candidates.Where(i => !candidates.Any(o => o != i && i.IsAssignableFrom(o))));
        return bases;
    }

    private static bool HasLength(Type type)
    {
        if (typeof(ICollection).IsAssignableFrom(type)) return true;
        var all = type.IsInterface ? type.GetInterfaces().Append(type) : [type];
        return all.Any(t => CountProperty(t) is not null);
    }

    /// <summary>The Count or Length property of <paramref name="type"/> that gives len(), if any.</summary>
    public static PropertyInfo? CountProperty(Type type)
    {
        foreach (var name in new[] { "Count", "Length" })
        {
            PropertyInfo? p;
            try
            {
                p = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance, null, null, Type.EmptyTypes, null);
            }
            catch (AmbiguousMatchException)
            {
                continue;
            }
            if (p?.GetMethod is { IsPublic: true } && (p.PropertyType == typeof(int) || p.PropertyType == typeof(long))) return p;
        }
        return null;
    }

    private static MethodBase[] Bindable(IEnumerable<MethodBase> methods, string typeName, List<Skip> skipped)
    {
        var result = new List<MethodBase>();
        foreach (var m in methods)
        {
            if (Unsupported(m) is { } reason) skipped.Add(new Skip(typeName, Signatures.CSharp(m), reason));
            else result.Add(m);
        }
        return result.ToArray();
    }

    private static List<MemberGroup> Members(Type type, List<Skip> skipped)
    {
        var typeName = type.FullName ?? type.Name;
        var groups = new List<MemberGroup>();
        var taken = new Dictionary<string, string>();

        bool Claim(string pythonName, string clrName)
        {
            if (taken.TryGetValue(pythonName, out var holder))
            {
                skipped.Add(new Skip(typeName, clrName, $"its Python name '{pythonName}' is already taken by {holder}"));
                return false;
            }
            taken[pythonName] = clrName;
            return true;
        }

        var methodNames = type.GetMethods(Declared)
            .Where(m => !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal))
            .Select(m => m.Name).Distinct().ToList();
        foreach (var name in methodNames)
        {
            var all = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.Name == name && (!m.IsSpecialName || name.StartsWith("op_", StringComparison.Ordinal)))
                .Cast<MethodBase>().ToList();
            var bindable = Bindable(all, typeName, skipped);
            if (bindable.Length == 0) continue;
            var pythonName = Naming.Member(bindable[0]);
            if (!Claim(pythonName, name)) continue;
            groups.Add(Registry.Add(new MemberGroup(type, pythonName, name, MemberKind.Method, bindable.All(m => m.IsStatic))
            {
                Methods = bindable,
            }));
        }

        foreach (var p in type.GetProperties(Declared))
        {
            if (p.GetIndexParameters().Length > 0) continue;
            var getter = p.GetMethod is { IsPublic: true } ? p.GetMethod : null;
            var setter = p.SetMethod is { IsPublic: true } ? p.SetMethod : null;
            if (getter is null && setter is null) continue;
            if (p.PropertyType.IsByRefLike || p.PropertyType.IsPointer || p.PropertyType.IsByRef)
            {
                skipped.Add(new Skip(typeName, p.Name, $"its type {Naming.CSharp(p.PropertyType)} cannot cross to Python"));
                continue;
            }
            var pythonName = Naming.Member(p);
            if (!Claim(pythonName, p.Name)) continue;
            groups.Add(Registry.Add(new MemberGroup(type, pythonName, p.Name, MemberKind.Property, (getter ?? setter)!.IsStatic) { Property = p }));
        }

        var indexers = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length > 0 && (p.GetMethod?.IsPublic == true || p.SetMethod?.IsPublic == true)).ToArray();
        if (indexers.Any(p => p.DeclaringType == type))
        {
            var usable = indexers.Where(p => (p.GetMethod ?? p.SetMethod) is { } accessor && Unsupported(accessor) is null).ToArray();
            foreach (var p in indexers.Except(usable)) skipped.Add(new Skip(typeName, $"this[{string.Join(", ", p.GetIndexParameters().Select(i => Naming.CSharp(i.ParameterType)))}]", "its parameter or value type cannot cross to Python"));
            if (usable.Length > 0 && Claim("__getitem__", "this[]"))
                groups.Add(Registry.Add(new MemberGroup(type, "__getitem__", "Item", MemberKind.Indexer, false) { Indexers = usable }));
        }

        foreach (var f in type.GetFields(Declared))
        {
            if (f.IsSpecialName) continue;
            if (f.FieldType.IsByRefLike || f.FieldType.IsPointer)
            {
                skipped.Add(new Skip(typeName, f.Name, $"its type {Naming.CSharp(f.FieldType)} cannot cross to Python"));
                continue;
            }
            var pythonName = Naming.Member(f);
            if (!Claim(pythonName, f.Name)) continue;
            groups.Add(Registry.Add(new MemberGroup(type, pythonName, f.Name, MemberKind.Field, f.IsStatic) { Field = f }));
        }

        foreach (var e in type.GetEvents(Declared))
            skipped.Add(new Skip(typeName, e.Name, "events are not supported by the Python bridge"));
        return groups;
    }

    private static void WriteGroup(MemberGroup g, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("id", g.Id);
        w.WriteString("name", g.PythonName);
        w.WriteString("clr", g.ClrName);
        w.WriteBoolean("static", g.IsStatic);
        switch (g.Kind)
        {
            case MemberKind.Method:
                w.WriteString("kind", "method");
                w.WriteString("doc", Docs(g.Methods));
                WriteOverloads(w, g.Methods, g.PythonName);
                break;
            case MemberKind.Property:
            {
                var p = g.Property!;
                w.WriteString("kind", "property");
                w.WriteString("type", Naming.CSharp(p.PropertyType));
                w.WriteBoolean("readable", p.GetMethod is { IsPublic: true });
                w.WriteBoolean("writable", p.SetMethod is { IsPublic: true });
                w.WriteString("doc", XmlDocs.For(p));
                break;
            }
            case MemberKind.Field:
            {
                var f = g.Field!;
                w.WriteString("kind", "field");
                w.WriteString("type", Naming.CSharp(f.FieldType));
                w.WriteBoolean("readable", true);
                w.WriteBoolean("writable", !f.IsInitOnly && !f.IsLiteral);
                w.WriteString("doc", XmlDocs.For(f));
                break;
            }
            case MemberKind.Indexer:
                w.WriteString("kind", "indexer");
                w.WriteString("doc", string.Join("\n", g.Indexers.Select(p => XmlDocs.For(p)).Where(d => d is not null)));
                w.WriteStartArray("overloads");
                foreach (var p in g.Indexers)
                {
                    w.WriteStartObject();
                    var keys = string.Join(", ", p.GetIndexParameters().Select(i => $"{Naming.Member(i.Name ?? "index")}: {Naming.CSharp(i)}"));
                    w.WriteString("python", $"[{keys}] -> {Naming.CSharp(p.PropertyType)}{(p.SetMethod is { IsPublic: true } ? " (settable)" : "")}");
                    w.WriteString("csharp", $"{Naming.CSharp(p.PropertyType)} this[{string.Join(", ", p.GetIndexParameters().Select(i => Naming.CSharp(i) + " " + i.Name))}]");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static string? Docs(MethodBase[] methods)
    {
        var docs = methods.Select(XmlDocs.For).Where(d => d is not null).Distinct().ToList();
        return docs.Count == 0 ? null : string.Join("\n\n", docs);
    }

    private static void WriteOverloads(Utf8JsonWriter w, MethodBase[] methods, string pythonName)
    {
        w.WriteStartArray("overloads");
        foreach (var m in methods)
        {
            w.WriteStartObject();
            w.WriteString("python", Signatures.Python(m, pythonName));
            w.WriteString("csharp", Signatures.CSharp(m));
            w.WriteString("doc", XmlDocs.For(m));
            w.WriteStartArray("params");
            foreach (var p in m.GetParameters())
            {
                if (p.ParameterType.IsByRef && p.IsOut && !p.IsIn) continue;
                w.WriteStartObject();
                w.WriteString("name", Naming.Member(p.Name ?? "arg"));
                w.WriteString("type", Naming.CSharp(p));
                var isParams = p.ParameterType.IsArray && p.IsDefined(typeof(ParamArrayAttribute), false);
                w.WriteString("kind", isParams ? "params" : "normal");
                if (p.HasDefaultValue || (p.IsOptional && !isParams))
                    w.WriteString("default", Naming.PythonLiteral(p.HasDefaultValue ? p.DefaultValue : null, p.ParameterType));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
