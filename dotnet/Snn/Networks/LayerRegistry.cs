using System.Reflection;

namespace Snn.Networks;

/// <summary>
/// Finds the layer class for a saved type name: every class with a <see cref="LayerTypeAttribute"/> and a
/// <c>public static Layer FromConfig(LayerConfig, Device)</c> in the loaded assemblies (snn's own and, for example,
/// an application's custom layers).
/// </summary>
public static class LayerRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, MethodInfo> Factories = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = [];

    /// <summary>The type names that can be loaded now.</summary>
    public static IReadOnlyList<string> TypeNames
    {
        get
        {
            lock (Gate)
            {
                ScanLoadedAssemblies();
                return Factories.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Builds the layer <paramref name="config"/> describes, on <paramref name="device"/>.</summary>
    public static Layer Create(LayerConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        MethodInfo? factory;
        lock (Gate)
        {
            if (!Factories.TryGetValue(config.TypeName, out factory))
            {
                ScanLoadedAssemblies();
                Factories.TryGetValue(config.TypeName, out factory);
            }
        }
        if (factory is null)
            throw new SnnArgumentException(ErrorCode.InvalidArgument,
                $"no layer type \"{config.TypeName}\" is known (known: {string.Join(", ", TypeNames)}); load the assembly that defines it first.");
        try
        {
            var layer = (Layer)factory.Invoke(null, [config, device])!;
            if (config.Name is { } name) layer.Name = name;
            return layer;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // unreachable
        }
    }

    /// <summary>Builds every configuration in order; on failure disposes those already built.</summary>
    internal static Layer[] CreateAll(IReadOnlyList<LayerConfig> configs, Device device)
    {
        var layers = new List<Layer>();
        try
        {
            foreach (var config in configs) layers.Add(Create(config, device));
            return [.. layers];
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    private static void ScanLoadedAssemblies()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!Scanned.Add(assembly) || assembly.IsDynamic) continue;
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.Where(t => t is not null).ToArray()!;
            }
            foreach (var type in types)
            {
                if (type.GetCustomAttribute<LayerTypeAttribute>(inherit: false) is not { } attribute) continue;
                var factory = type.GetMethod("FromConfig", BindingFlags.Public | BindingFlags.Static, [typeof(LayerConfig), typeof(Device)]);
                if (factory is null || !typeof(Layer).IsAssignableFrom(factory.ReturnType))
                    throw new InvalidOperationException(
                        $"{type.FullName} has [LayerType(\"{attribute.TypeName}\")] but no public static Layer FromConfig(LayerConfig, Device); add it.");
                foreach (var typeName in attribute.Aliases.Prepend(attribute.TypeName))
                {
                    if (Factories.TryGetValue(typeName, out var existing) && existing.DeclaringType != type)
                        throw new InvalidOperationException(
                            $"layer type name \"{typeName}\" is used by {existing.DeclaringType!.FullName} and {type.FullName}; give one another name.");
                    Factories[typeName] = factory;
                }
            }
        }
    }
}
