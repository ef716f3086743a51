namespace Snn;

/// <summary>
/// The Python module name of a namespace, where the bridge's automatic snake_case would differ from
/// the module users of the original tool import (<c>Snn.EvSpikeSim</c> is <c>snn.evspikesim</c>, as
/// EvSpikeSim's <c>evspikesim</c>, not <c>snn.ev_spike_sim</c>). Declared once per namespace on the assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PythonModuleAttribute(string @namespace, string name) : Attribute
{
    /// <summary>The namespace, e.g. "Snn.EvSpikeSim".</summary>
    public string Namespace { get; } = @namespace;

    /// <summary>The last part of its Python module name, e.g. "evspikesim".</summary>
    public string Name { get; } = name;
}
