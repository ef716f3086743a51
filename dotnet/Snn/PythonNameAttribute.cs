namespace Snn;

/// <summary>
/// The name a member has in Python, where the bridge's automatic snake_case would differ from the
/// name users of the original tool know (EvSpikeSim's <c>n_inputs</c> for <c>NInputs</c>, which the
/// general rule, keeping <c>DType</c> as <c>dtype</c>, would make <c>ninputs</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method | AttributeTargets.Field, Inherited = true)]
public sealed class PythonNameAttribute(string name) : Attribute
{
    /// <summary>The Python name.</summary>
    public string Name { get; } = name;
}
