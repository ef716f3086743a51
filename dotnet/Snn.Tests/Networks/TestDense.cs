using Snn.Networks;

namespace Snn.Tests.Networks;

/// <summary>A test-only connection (y = x W^T by one GEMM) that lives outside the Snn assembly, so the tests also
/// show that saved networks find layer types of other assemblies.</summary>
[LayerType("TestDense")]
internal sealed class TestDense : Layer
{
    private readonly Snn.Connections.Dense _linear;

    public TestDense(float[] weight, int inputs, int outputs, string? name = null)
        : base([inputs], [outputs], Device.Default, name)
    {
        _linear = new Snn.Connections.Dense(inputs, outputs, bias: false);
        _linear.Weight.CopyFrom(weight);
    }

    public override IReadOnlyDictionary<string, Tensor> Parameters => new Dictionary<string, Tensor> { ["weight"] = _linear.Weight };

    public override LayerConfig Config => new LayerConfig(TypeName).Set("inputs", InputShape[0]).Set("outputs", OutputShape[0]).Set("name", Name);

    public static Layer FromConfig(LayerConfig config, Device device)
    {
        var (inputs, outputs) = ((int)config.GetInt("inputs"), (int)config.GetInt("outputs"));
        return new TestDense(new float[inputs * outputs], inputs, outputs, config.GetString("name"));
    }

    public override void ResetState() { }

    protected override Signal ForwardCore(Signal input) => new(_linear.Forward(input.Values));

    protected override void DisposeCore() => _linear.Dispose();
}
