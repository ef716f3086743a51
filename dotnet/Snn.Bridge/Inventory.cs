using System.Buffers;
using System.Reflection;
using System.Text.Json;

namespace Snn.Bridge;

/// <summary>
/// Every public type and member of a loaded root namespace with the Python name it must have, by
/// plain reflection and independent of what <see cref="Describer"/> manages to offer: the parity
/// test checks each entry is reachable from Python, so the C# and Python APIs cannot drift apart.
/// </summary>
public static class Inventory
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The inventory of root namespace <paramref name="ns"/> as JSON.</summary>
    public static byte[] Build(string ns)
    {
        var assembly = Registry.RootAssembly(ns);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var type in assembly.GetExportedTypes().Where(t => Registry.InNamespace(t.Namespace, ns)).OrderBy(t => t.FullName))
                WriteType(type, w);
            w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteType(Type type, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("clr", type.FullName);
        w.WriteString("module", Registry.ModuleOf(type));
        var path = new List<string>();
        for (var t = type; t is not null; t = t.IsNested ? t.DeclaringType : null) path.Insert(0, Describer.PythonClassName(t));
        w.WriteString("qualname", string.Join(".", path));
        w.WriteStartArray("members");
        if (type.IsEnum)
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                Member(w, f.Name, Naming.EnumMember(f.Name), "enum", []);
        }
        else
        {
            var ctors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
            if (ctors.Length > 0) Member(w, ".ctor", "__init__", "constructor", ctors.Select(Signatures.CSharp));
            foreach (var group in type.GetMethods(Declared).Where(m => !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)).GroupBy(m => m.Name))
                Member(w, group.Key, Naming.Member(group.First()), "method", group.Select(Signatures.CSharp));
            foreach (var p in type.GetProperties(Declared))
            {
                if (p.GetMethod?.IsPublic != true && p.SetMethod?.IsPublic != true) continue;
                if (p.GetIndexParameters().Length > 0) Member(w, "this[]", "__getitem__", "indexer", []);
                else Member(w, p.Name, Naming.Member(p), "property", []);
            }
            foreach (var f in type.GetFields(Declared).Where(f => !f.IsSpecialName))
                Member(w, f.Name, Naming.Member(f), "field", []);
            foreach (var e in type.GetEvents(Declared))
                Member(w, e.Name, Naming.Member(e.Name), "event", []);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Member(Utf8JsonWriter w, string clr, string python, string kind, IEnumerable<string> signatures)
    {
        w.WriteStartObject();
        w.WriteString("clr", clr);
        w.WriteString("python", python);
        w.WriteString("kind", kind);
        w.WriteStartArray("signatures");
        foreach (var s in signatures) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
