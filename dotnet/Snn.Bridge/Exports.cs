using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;

namespace Snn.Bridge;

/// <summary>
/// The entry points Python calls through function pointers from hostfxr's
/// load_assembly_and_get_function_pointer (delegate type UNMANAGEDCALLERSONLY_METHOD). Every entry
/// point that can fail returns 0 on success and 1 on failure, with the error in the result variant
/// (<see cref="Tag.Error"/>); no exception ever crosses into native code. See docs/python.md.
/// </summary>
public static unsafe class Exports
{
    /// <summary>Version of this ABI; Python refuses a bridge with another.</summary>
    public const int Abi = 1;

    /// <summary>Operation codes of <see cref="Invoke"/>.</summary>
    public const int OpGet = 0, OpSet = 1;

    /// <summary>
    /// Loads <paramref name="assembly"/> (a path, or the simple name of an assembly the bridge
    /// references, such as "Snn") and describes the public types of namespace <paramref name="ns"/>
    /// and below as Python module <paramref name="module"/>. Result: a UTF-8 JSON string.
    /// </summary>
    [UnmanagedCallersOnly]
    public static int LoadNamespace(byte* assembly, byte* ns, byte* module, Variant* result) => Guard(result, () =>
    {
        var name = Text(assembly);
        var root = Text(ns);
        var asm = LoadAssembly(name);
        var types = asm.GetExportedTypes().Where(t => Registry.InNamespace(t.Namespace, root)).OrderBy(t => t.FullName).ToList();
        if (types.Count == 0) throw new ArgumentException($"{asm.GetName().Name} has no public types in namespace {root}");
        Registry.AddRoot(root, Text(module), asm);

        var skipped = new List<Skip>();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("abi", Abi);
            w.WriteString("namespace", root);
            w.WriteString("module", Text(module));
            w.WriteString("assembly", asm.Location);
            w.WriteStartArray("types");
            foreach (var type in types)
            {
                if (type.IsGenericTypeDefinition)
                {
                    skipped.Add(new Skip(type.FullName!, "", "open generic types are not supported by the Python bridge"));
                    continue;
                }
                var (json, s) = Describer.Describe(type);
                w.WriteRawValue(json, skipInputValidation: true);
                skipped.AddRange(s);
            }
            w.WriteEndArray();
            // Where this load puts each top-level type: under this module, whatever module the class
            // was first described in (a namespace may be loaded again under another name).
            w.WriteStartArray("placement");
            foreach (var type in types.Where(t => !t.IsNested && !t.IsGenericTypeDefinition))
            {
                w.WriteStartArray();
                w.WriteNumberValue(Registry.TypeId(type));
                w.WriteStringValue(Naming.Module(root, Text(module), type.Namespace!, type.Assembly));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("well_known");
            foreach (var type in ExceptionMap.WellKnown) w.WriteRawValue(Describer.Describe(type).Json, skipInputValidation: true);
            w.WriteEndArray();
            w.WriteStartArray("skipped");
            foreach (var s in skipped)
            {
                w.WriteStartObject();
                w.WriteString("type", s.Type);
                w.WriteString("member", s.Member);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        Outbound.WriteUtf8(buffer.WrittenSpan, result);
    });

    /// <summary>Describes one type met at run time (a base class, a returned List&lt;T&gt;, an exception): UTF-8 JSON.</summary>
    [UnmanagedCallersOnly]
    public static int DescribeType(int typeId, Variant* result) => Guard(result, () =>
        Outbound.WriteUtf8(Describer.Describe(Registry.TypeOf(typeId)).Json, result));

    /// <summary>The inventory of loaded root namespace <paramref name="ns"/> (see <see cref="Inventory"/>): UTF-8 JSON.</summary>
    [UnmanagedCallersOnly]
    public static int GetInventory(byte* ns, Variant* result) => Guard(result, () =>
        Outbound.WriteUtf8(Inventory.Build(Text(ns)), result));

    /// <summary>
    /// Calls member <paramref name="member"/> (an id from a description, or an <see cref="Intrinsic"/>)
    /// on the object behind handle <paramref name="target"/> (0 for static members and constructors).
    /// <paramref name="args"/> holds <paramref name="positional"/> positional arguments followed by
    /// <paramref name="keywordCount"/> keyword arguments named by <paramref name="keywords"/> (UTF-8).
    /// <paramref name="op"/> is <see cref="OpGet"/> (call, or read a property, field or indexer) or
    /// <see cref="OpSet"/> (write one; the value is the last positional argument).
    /// </summary>
    [UnmanagedCallersOnly]
    public static int Invoke(long target, int member, int op, Variant* args, int positional, byte** keywords, int keywordCount, Variant* result) =>
        Guard(result, () =>
        {
            var names = new string[keywordCount];
            for (var i = 0; i < keywordCount; i++) names[i] = Text(keywords[i]);
            var all = new ReadOnlySpan<Variant>(args, positional + keywordCount);
            Dispatch(target, member, op, all, positional, names, result);
        });

    /// <summary>Frees an object handle or an array pin; Python calls it when a proxy or numpy array dies.</summary>
    [UnmanagedCallersOnly]
    public static void Release(long handle)
    {
        try
        {
            Handles.Free(handle);
        }
        catch (Exception)
        {
            // A handle Python no longer owns: nothing to free, and nothing may escape into native code.
        }
    }

    /// <summary>Frees the memory a result variant points to (strings, lists, array shapes), not its handles.</summary>
    [UnmanagedCallersOnly]
    public static void FreeResult(Variant* v)
    {
        try
        {
            Outbound.Free(v);
        }
        catch (Exception)
        {
            // Nothing may escape into native code.
        }
    }

    /// <summary>Writes [live object handles, live pinned arrays] to <paramref name="counters"/>.</summary>
    [UnmanagedCallersOnly]
    public static void Stats(long* counters)
    {
        counters[0] = Handles.LiveObjects;
        counters[1] = Handles.LivePinned;
    }

    private static int Guard(Variant* result, Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception e)
        {
            while (e is TargetInvocationException or TypeInitializationException && e.InnerException is not null) e = e.InnerException;
            try
            {
                Outbound.WriteError(e, result);
            }
            catch (Exception)
            {
                *result = default;
                result->Tag = (int)Tag.Error;
            }
            return 1;
        }
    }

    private static Assembly LoadAssembly(string name)
    {
        var context = AssemblyLoadContext.GetLoadContext(typeof(Exports).Assembly) ?? AssemblyLoadContext.Default;
        if (name.Contains('/') || name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.GetFullPath(name);
            if (!File.Exists(path)) throw new FileNotFoundException($"no assembly at {path}", path);
            foreach (var loaded in context.Assemblies)
                if (string.Equals(loaded.Location, path, StringComparison.Ordinal)) return loaded;
            return context.LoadFromAssemblyPath(path);
        }
        return context.LoadFromAssemblyName(new AssemblyName(name));
    }

    private static string Text(byte* utf8) => Marshal.PtrToStringUTF8((IntPtr)utf8) ?? string.Empty;

    private static void Dispatch(long target, int member, int op, ReadOnlySpan<Variant> args, int positional, string[] keywords, Variant* result)
    {
        if (member < 0)
        {
            Intrinsics(target, member, args, result);
            return;
        }
        var g = Registry.Group(member);
        var obj = target == 0 ? null : Handles.Target(target);
        using var scope = new CallScope();
        switch (g.Kind)
        {
            case MemberKind.Constructor:
            {
                RequireConstructible(g.Owner);
                if (args.Length == 0 && g.Owner.IsValueType && !g.Methods.Any(m => m.GetParameters().Length == 0))
                {
                    Outbound.Write(Activator.CreateInstance(g.Owner), result);
                    return;
                }
                var bound = Binder.Bind(g.DisplayName, "__init__", g.Methods, args, positional, keywords, scope);
                Outbound.Write(bound.Invoke(null), result);
                return;
            }
            case MemberKind.Method:
                Call(g, g.Methods, g.PythonName, obj, args, positional, keywords, scope, result);
                return;
            case MemberKind.Property:
            {
                var p = g.Property!;
                var accessor = op == OpSet ? p.SetMethod : p.GetMethod;
                if (accessor is not { IsPublic: true })
                    throw new BindingException($"{g.DisplayName} cannot be {(op == OpSet ? "set" : "read")}");
                Call(g, [accessor], g.PythonName, obj, args, positional, keywords, scope, result);
                return;
            }
            case MemberKind.Indexer:
            {
                var accessors = g.Indexers.Select(p => op == OpSet ? p.SetMethod : p.GetMethod)
                    .Where(m => m is { IsPublic: true }).Cast<MethodBase>().ToArray();
                if (accessors.Length == 0)
                    throw new BindingException($"{Naming.Class(g.Owner)} items cannot be {(op == OpSet ? "set" : "read")}");
                Call(g, accessors, op == OpSet ? "__setitem__" : "__getitem__", obj, args, positional, keywords, scope, result);
                return;
            }
            case MemberKind.Field:
            {
                var f = g.Field!;
                if (!f.IsStatic) obj = RequireTarget(g, obj);
                if (op == OpGet)
                {
                    Outbound.Write(f.GetValue(obj), result);
                    return;
                }
                if (f.IsInitOnly || f.IsLiteral) throw new BindingException($"{g.DisplayName} is read-only");
                if (args.Length != 1 || keywords.Length != 0) throw new BindingException($"setting {g.DisplayName} takes one value");
                if (Inbound.Convert(args[0], f.FieldType, null, out _, out var failure) < 0)
                    throw failure!.ToException(g.PythonName);
                Inbound.Convert(args[0], f.FieldType, scope, out var value, out _);
                f.SetValue(obj, value);
                Outbound.Write(null, result);
                return;
            }
        }
    }

    private static void Call(MemberGroup g, IReadOnlyList<MethodBase> candidates, string pythonName, object? obj,
        ReadOnlySpan<Variant> args, int positional, string[] keywords, CallScope scope, Variant* result)
    {
        var displayName = g.Kind == MemberKind.Indexer ? Naming.Class(g.Owner) + "." + pythonName : g.DisplayName;
        var bound = Binder.Bind(displayName, pythonName, candidates, args, positional, keywords, scope);
        var target = bound.Method.IsStatic ? null : RequireTarget(g, obj);
        var value = bound.Invoke(target);
        var outs = bound.OutValues(value, out var hasOuts);
        if (!hasOuts) Outbound.Write(value, result);
        else if (outs!.Length == 1) Outbound.Write(outs[0], result);
        else Outbound.Write(new TupleResult(outs), result);
    }

    private static object RequireTarget(MemberGroup g, object? obj)
    {
        if (obj is null) throw new BindingException($"{g.DisplayName} needs an instance of {Naming.Class(g.Owner)}");
        if (!g.Owner.IsInstanceOfType(obj))
            throw new BindingException($"{g.DisplayName} needs an instance of {Naming.Class(g.Owner)}, got {Naming.Class(obj.GetType())}");
        return obj;
    }

    private static void RequireConstructible(Type type)
    {
        string? why =
            type.IsInterface ? "it is an interface"
            : type.IsAbstract && type.IsSealed ? "it is a static class"
            : type.IsAbstract ? "it is abstract"
            : !type.IsValueType && type.GetConstructors().Length == 0 ? "it has no public constructor"
            : null;
        if (why is not null) throw new BindingException($"cannot create {Naming.Class(type)} instances: {why}");
    }

    private static void Intrinsics(long target, int member, ReadOnlySpan<Variant> args, Variant* result)
    {
        var obj = Handles.Target(target);
        switch (member)
        {
            case Intrinsic.ToStringId:
                Outbound.Write(obj.ToString() ?? string.Empty, result);
                return;
            case Intrinsic.EqualsId:
            {
                if (args.Length != 1) throw new BindingException("Equals takes one argument");
                if (Inbound.ToNatural(args[0], null, out _, out var failure) < 0) throw failure!.ToException("other");
                using var scope = new CallScope();
                Inbound.ToNatural(args[0], scope, out var other, out _);
                Outbound.Write(obj.Equals(other), result);
                return;
            }
            case Intrinsic.HashId:
                Outbound.Write(obj.GetHashCode(), result);
                return;
            case Intrinsic.DisposeId:
                if (obj is not IDisposable disposable) throw new BindingException($"{Naming.Class(obj.GetType())} is not IDisposable");
                disposable.Dispose();
                Outbound.Write(null, result);
                return;
            case Intrinsic.IterId:
                if (obj is not IEnumerable enumerable) throw new BindingException($"{Naming.Class(obj.GetType())} is not iterable");
                Outbound.Write(new EnumeratorBox(enumerable.GetEnumerator()), result);
                return;
            case Intrinsic.NextId:
            {
                var box = obj as EnumeratorBox ?? throw new BindingException("not an iterator");
                if (box.Enumerator.MoveNext())
                {
                    Outbound.Write(box.Enumerator.Current, result);
                    return;
                }
                (box.Enumerator as IDisposable)?.Dispose();
                *result = default;
                result->Tag = (int)Tag.Stop;
                return;
            }
            case Intrinsic.LenId:
                Outbound.Write(Length(obj), result);
                return;
            default:
                throw new BindingException($"unknown intrinsic {member}");
        }
    }

    private static long Length(object obj)
    {
        if (obj is ICollection collection) return collection.Count;
        var type = obj.GetType();
        var property = Describer.CountProperty(type)
            ?? type.GetInterfaces().Select(Describer.CountProperty).FirstOrDefault(p => p is not null)
            ?? throw new BindingException($"{Naming.Class(type)} has no len()");
        return System.Convert.ToInt64(property.GetValue(obj));
    }

    /// <summary>An enumerator handed to Python (a box, so struct enumerators advance in place).</summary>
    public sealed class EnumeratorBox(IEnumerator enumerator)
    {
        /// <summary>The enumerator.</summary>
        public IEnumerator Enumerator { get; } = enumerator;
    }
}

/// <summary>Several values returned together (a result plus out parameters): a Python tuple.</summary>
public sealed record TupleResult(object?[] Items);
