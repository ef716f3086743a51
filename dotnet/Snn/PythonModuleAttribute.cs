namespace Snn;

/// <summary>
/// The Python module name of a namespace's last part, where the bridge's automatic snake_case would differ from the
/// name users know (<c>Snn.PySnn</c> is <c>snn.pysnn</c>, not <c>snn.py_snn</c>). Declared on the assembly, matched
/// by attribute name, as <see cref="PythonNameAttribute"/> is.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PythonModuleAttribute(string ns, string module) : Attribute
{
    /// <summary>The full namespace, e.g. "Snn.PySnn".</summary>
    public string Namespace { get; } = ns;

    /// <summary>The Python name of its last part, e.g. "pysnn".</summary>
    public string Module { get; } = module;
}

/// <summary>
/// Also places <see cref="Type"/> in the Python module of <see cref="Namespace"/>, so a seed facade offers the core
/// types its users know by name (<c>snn.rockpool.TSContinuous</c> is <c>snn.timed.TSContinuous</c>). C# users reach
/// the type through its own namespace.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PythonExportAttribute(string ns, Type type) : Attribute
{
    /// <summary>The namespace whose module shows the type too.</summary>
    public string Namespace { get; } = ns;

    /// <summary>The type shown.</summary>
    public Type Type { get; } = type;
}
