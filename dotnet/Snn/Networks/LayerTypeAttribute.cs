namespace Snn.Networks;

/// <summary>
/// Names a <see cref="Layer"/> class in saved networks. The class must also declare
/// <c>public static Layer FromConfig(LayerConfig config, Device device)</c>, which rebuilds it (parameters and
/// state are restored afterwards by the loader).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LayerTypeAttribute(string typeName, params string[] aliases) : Attribute
{
    /// <summary>The type name written to files, e.g. "Conv2d".</summary>
    public string TypeName { get; } = typeName;

    /// <summary>Older type names that files may still carry; they load through the same FromConfig (which reads
    /// <see cref="LayerConfig.TypeName"/> when the alias decides something).</summary>
    public IReadOnlyList<string> Aliases { get; } = aliases;
}
