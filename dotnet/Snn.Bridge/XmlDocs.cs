using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Snn.Bridge;

/// <summary>Docstrings from the XML documentation file next to an assembly (Snn.xml beside Snn.dll).</summary>
public static partial class XmlDocs
{
    private static readonly ConcurrentDictionary<Assembly, Dictionary<string, string>> Files = new();

    /// <summary>The documentation of <paramref name="member"/> as plain text, or null.</summary>
    public static string? For(MemberInfo member)
    {
        var docs = Files.GetOrAdd(member.Module.Assembly, Load);
        return docs.Count == 0 ? null : docs.GetValueOrDefault(Id(member));
    }

    private static Dictionary<string, string> Load(Assembly assembly)
    {
        var result = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(assembly.Location)) return result;
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return result;
        try
        {
            foreach (var member in XDocument.Load(path).Descendants("member"))
            {
                var name = (string?)member.Attribute("name");
                if (name is null) continue;
                var parts = new List<string>();
                if (member.Element("summary") is { } summary) parts.Add(Text(summary));
                var parameters = member.Elements("param")
                    .Select(p => $"  {Naming.Member((string?)p.Attribute("name") ?? "")}: {Text(p)}").ToList();
                if (parameters.Count > 0) parts.Add("Parameters:\n" + string.Join("\n", parameters));
                if (member.Element("returns") is { } returns) parts.Add("Returns: " + Text(returns));
                var raises = member.Elements("exception")
                    .Select(e => $"  {Cref((string?)e.Attribute("cref"))}: {Text(e)}").ToList();
                if (raises.Count > 0) parts.Add("Raises:\n" + string.Join("\n", raises));
                var text = string.Join("\n\n", parts.Where(p => p.Length > 0));
                if (text.Length > 0) result[name] = text;
            }
        }
        catch (System.Xml.XmlException)
        {
            result.Clear();
        }
        return result;
    }

    private static string Text(XElement element)
    {
        var sb = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    sb.Append(text.Value);
                    break;
                case XElement e when e.Name == "see" || e.Name == "seealso":
                    sb.Append((string?)e.Attribute("langword") switch
                    {
                        "null" => "None",
                        "true" => "True",
                        "false" => "False",
                        { } word => word,
                        null => e.Value.Length > 0 ? e.Value : Cref((string?)e.Attribute("cref")),
                    });
                    break;
                case XElement e when e.Name == "paramref" || e.Name == "typeparamref":
                    sb.Append(Naming.Member((string?)e.Attribute("name") ?? ""));
                    break;
                case XElement e when e.Name == "para":
                    sb.Append('\n').Append(Text(e)).Append('\n');
                    break;
                case XElement e:
                    sb.Append(Text(e));
                    break;
            }
        }
        var lines = sb.ToString().Split('\n').Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0);
        return string.Join("\n", lines);
    }

    // "T:Snn.Device" -> "Device"; "M:Snn.Tensor.WrapHost(System.IntPtr,...)" -> "Tensor.wrap_host".
    private static string Cref(string? cref)
    {
        if (string.IsNullOrEmpty(cref)) return "";
        var body = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = body.IndexOf('(');
        if (paren >= 0) body = body[..paren];
        var parts = body.Split('.');
        if (cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2) return parts[^1].Split('`')[0];
        return parts[^2].Split('`')[0] + "." + Naming.Member(parts[^1].Split('`')[0]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>The documentation id of a member ("T:Snn.Tensor", "M:Snn.Tensor.Fill(System.Double)").</summary>
    public static string Id(MemberInfo member) => member switch
    {
        Type t => "T:" + TypeName(t),
        ConstructorInfo c => "M:" + TypeName(c.DeclaringType!) + "." + (c.IsStatic ? "#cctor" : "#ctor") + Parameters(c.GetParameters()),
        MethodInfo m => "M:" + TypeName(m.DeclaringType!) + "." + m.Name
            + (m.IsGenericMethod ? "``" + m.GetGenericArguments().Length : "") + Parameters(m.GetParameters())
            + (m.Name is "op_Implicit" or "op_Explicit" ? "~" + ParameterType(m.ReturnType) : ""),
        PropertyInfo p => "P:" + TypeName(p.DeclaringType!) + "." + p.Name + Parameters(p.GetIndexParameters()),
        FieldInfo f => "F:" + TypeName(f.DeclaringType!) + "." + f.Name,
        EventInfo e => "E:" + TypeName(e.DeclaringType!) + "." + e.Name,
        _ => member.Name,
    };

    private static string Parameters(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => ParameterType(p.ParameterType))) + ")";

    private static string TypeName(Type t) => (t.IsGenericType ? t.GetGenericTypeDefinition() : t).FullName?.Replace('+', '.') ?? t.Name;

    private static string ParameterType(Type t)
    {
        if (t.IsByRef) return ParameterType(t.GetElementType()!) + "@";
        if (t.IsPointer) return ParameterType(t.GetElementType()!) + "*";
        if (t.IsArray)
        {
            var rank = t.GetArrayRank();
            return ParameterType(t.GetElementType()!) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }
        if (t.IsGenericParameter) return (t.DeclaringMethod is null ? "`" : "``") + t.GenericParameterPosition;
        if (t.IsGenericType)
        {
            var definition = t.GetGenericTypeDefinition().FullName!.Replace('+', '.');
            var tick = definition.LastIndexOf('`');
            return definition[..tick] + "{" + string.Join(",", t.GetGenericArguments().Select(ParameterType)) + "}";
        }
        return t.FullName?.Replace('+', '.') ?? t.Name;
    }
}
