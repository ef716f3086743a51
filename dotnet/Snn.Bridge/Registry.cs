using System.Reflection;
using System.Runtime.InteropServices;

namespace Snn.Bridge;

/// <summary>What a member id stands for.</summary>
public enum MemberKind
{
    /// <summary>The constructors of a type.</summary>
    Constructor,
    /// <summary>Methods of one Python name (all overloads).</summary>
    Method,
    /// <summary>A property without parameters.</summary>
    Property,
    /// <summary>A field (constants included).</summary>
    Field,
    /// <summary>The indexers of a type (<c>this[...]</c>).</summary>
    Indexer,
}

/// <summary>One callable thing Python refers to by id: a constructor set, a method group, a property, ...</summary>
public sealed class MemberGroup
{
    /// <summary>Creates a group; <see cref="Registry.Add"/> gives it its id.</summary>
    public MemberGroup(Type owner, string pythonName, string clrName, MemberKind kind, bool isStatic)
    {
        Owner = owner;
        PythonName = pythonName;
        ClrName = clrName;
        Kind = kind;
        IsStatic = isStatic;
    }

    /// <summary>Id Python passes to Invoke.</summary>
    public int Id { get; internal set; }
    /// <summary>The type the group was described on.</summary>
    public Type Owner { get; }
    /// <summary>snake_case name.</summary>
    public string PythonName { get; }
    /// <summary>C# name.</summary>
    public string ClrName { get; }
    /// <summary>Kind of member.</summary>
    public MemberKind Kind { get; }
    /// <summary>Whether no instance is needed.</summary>
    public bool IsStatic { get; }
    /// <summary>Constructors or methods to bind among (only those the bridge can call).</summary>
    public MethodBase[] Methods { get; init; } = [];
    /// <summary>The property (Property kind).</summary>
    public PropertyInfo? Property { get; init; }
    /// <summary>The indexers (Indexer kind).</summary>
    public PropertyInfo[] Indexers { get; init; } = [];
    /// <summary>The field (Field kind).</summary>
    public FieldInfo? Field { get; init; }

    /// <summary>"Class.member", as errors name it.</summary>
    public string DisplayName => Kind == MemberKind.Constructor ? Naming.Class(Owner) : Naming.Class(Owner) + "." + PythonName;
}

/// <summary>Member ids below zero: operations every object supports, behind Python's dunder methods.</summary>
public static class Intrinsic
{
    /// <summary>ToString() -> str.</summary>
    public const int ToStringId = -1;
    /// <summary>Equals(other) -> bool.</summary>
    public const int EqualsId = -2;
    /// <summary>GetHashCode() -> int.</summary>
    public const int HashId = -3;
    /// <summary>IDisposable.Dispose().</summary>
    public const int DisposeId = -4;
    /// <summary>IEnumerable.GetEnumerator() -> enumerator handle.</summary>
    public const int IterId = -5;
    /// <summary>Enumerator step: the next item, or a Stop variant.</summary>
    public const int NextId = -6;
    /// <summary>Count / Length -> int.</summary>
    public const int LenId = -7;
}

/// <summary>Type ids, member ids and loaded root namespaces. Ids never change while the process lives.</summary>
public static class Registry
{
    /// <summary>Python module that holds types outside every loaded root namespace (BCL exceptions, List[T], ...).</summary>
    public const string ForeignModule = "snn.clr";

    private static readonly object Gate = new();
    private static readonly List<Type?> Types = [null];
    private static readonly Dictionary<Type, int> Ids = [];
    private static readonly List<(string Namespace, string Module, Assembly Assembly)> Roots = [];
    private static MemberGroup?[] s_groups = new MemberGroup?[64];
    private static int s_groupCount = 1;

    /// <summary>The id of <paramref name="type"/>, registering it on first sight.</summary>
    public static int TypeId(Type type)
    {
        lock (Gate)
        {
            if (Ids.TryGetValue(type, out var id)) return id;
            id = Types.Count;
            Types.Add(type);
            Ids[type] = id;
            return id;
        }
    }

    /// <summary>The type with id <paramref name="id"/>.</summary>
    public static Type TypeOf(int id)
    {
        lock (Gate)
        {
            if (id <= 0 || id >= Types.Count) throw new ArgumentOutOfRangeException(nameof(id), id, "unknown type id");
            return Types[id]!;
        }
    }

    /// <summary>Gives <paramref name="group"/> the next member id.</summary>
    public static MemberGroup Add(MemberGroup group)
    {
        lock (Gate)
        {
            if (s_groupCount == s_groups.Length)
            {
                var grown = new MemberGroup?[s_groups.Length * 2];
                Array.Copy(s_groups, grown, s_groups.Length);
                Volatile.Write(ref s_groups, grown);
            }
            group.Id = s_groupCount;
            s_groups[s_groupCount++] = group;
            return group;
        }
    }

    /// <summary>The group with id <paramref name="id"/>.</summary>
    public static MemberGroup Group(int id)
    {
        var groups = Volatile.Read(ref s_groups);
        if (id <= 0 || id >= groups.Length || groups[id] is not { } group)
            throw new ArgumentOutOfRangeException(nameof(id), id, "unknown member id");
        return group;
    }

    /// <summary>Makes the public types of <paramref name="ns"/> (and its sub-namespaces) Python module <paramref name="module"/>.</summary>
    public static void AddRoot(string ns, string module, Assembly assembly)
    {
        lock (Gate)
        {
            Roots.RemoveAll(r => r.Namespace == ns);
            Roots.Add((ns, module, assembly));
        }
    }

    /// <summary>The assembly loaded for root namespace <paramref name="ns"/>.</summary>
    public static Assembly RootAssembly(string ns)
    {
        lock (Gate)
        {
            foreach (var root in Roots)
                if (root.Namespace == ns) return root.Assembly;
        }
        throw new InvalidOperationException($"namespace {ns} has not been loaded");
    }

    /// <summary>Whether <paramref name="ns"/> is <paramref name="root"/> or below it.</summary>
    public static bool InNamespace(string? ns, string root) =>
        ns is not null && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));

    /// <summary>Python module of <paramref name="type"/>: under the longest loaded root that holds it, else <see cref="ForeignModule"/>.</summary>
    public static string ModuleOf(Type type)
    {
        while (type.IsNested) type = type.DeclaringType!;
        lock (Gate)
        {
            (string Namespace, string Module)? best = null;
            foreach (var root in Roots)
                if (root.Assembly == type.Assembly && InNamespace(type.Namespace, root.Namespace)
                    && (best is null || root.Namespace.Length > best.Value.Namespace.Length))
                    best = (root.Namespace, root.Module);
            return best is { } b ? Naming.Module(b.Namespace, b.Module, type.Namespace!, type.Assembly) : ForeignModule;
        }
    }
}

/// <summary>GCHandles given to Python, counted so tests can prove every one is released.</summary>
public static class Handles
{
    private static long s_objects;
    private static long s_pinned;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<nint, byte> Pinned = new();

    /// <summary>Object handles alive.</summary>
    public static long LiveObjects => Interlocked.Read(ref s_objects);
    /// <summary>Pinned array handles alive (numpy arrays viewing managed memory).</summary>
    public static long LivePinned => Interlocked.Read(ref s_pinned);

    /// <summary>A normal handle keeping <paramref name="value"/> alive until Python releases it.</summary>
    public static nint Alloc(object value)
    {
        var handle = GCHandle.ToIntPtr(GCHandle.Alloc(value));
        Interlocked.Increment(ref s_objects);
        return handle;
    }

    /// <summary>A pinned handle: <paramref name="array"/> stays alive and unmoved until Python releases it.</summary>
    public static nint Pin(Array array)
    {
        var handle = GCHandle.ToIntPtr(GCHandle.Alloc(array, GCHandleType.Pinned));
        Pinned[handle] = 0;
        Interlocked.Increment(ref s_pinned);
        return handle;
    }

    /// <summary>The object behind a handle Python passed in.</summary>
    public static object Target(long handle)
    {
        if (handle == 0) throw new InvalidOperationException("this .NET object has been released");
        return GCHandle.FromIntPtr((nint)handle).Target
            ?? throw new InvalidOperationException("this .NET object has been released");
    }

    /// <summary>Frees a handle made by <see cref="Alloc"/> or <see cref="Pin"/>.</summary>
    public static void Free(long handle)
    {
        if (handle == 0) return;
        var h = (nint)handle;
        GCHandle.FromIntPtr(h).Free();
        if (Pinned.TryRemove(h, out _)) Interlocked.Decrement(ref s_pinned);
        else Interlocked.Decrement(ref s_objects);
    }
}
