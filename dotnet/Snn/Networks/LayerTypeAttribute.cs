namespace Snn.Networks;

/// <summary>
/// Names a <see cref="Layer"/> class in saved networks. The class must also declare
/// <c>public static Layer FromConfig(LayerConfig config, Device device)</c>, which rebuilds it (parameters and
/// state are restored afterwards by the loader).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LayerTypeAttribute(string typeName) : Attribute
{
    /// <summary>The type name written to files, e.g. "Conv2d".</summary>
    public string TypeName { get; } = typeName;
}
