using Snn.Neurons;
using Snn.PySnn;

namespace Snn.Tests.Neurons;

/// <summary>
/// The C# half of the PySNN neuron parity check with python/tests/test_pysnn_neurons.py, which runs the same cases
/// through the Python API and requires identical bytes. Recipe, per case: u = Philox.Uniform [16, 2, 13] (case seed =
/// index + 1, offset 7); x = floor(2 u) for "input", else 1.6 u - 0.2, in float32; the layer of the case recording
/// every variable it can; Forward(x[:8]) then Forward(x[8:]); every array (x, per call spikes/trace and the
/// records, then the final state) is written as raw float32 to $SNN_SCENARIO_OUT/csharp/pysnn_neurons/&lt;case&gt;/.
/// </summary>
public class PySnnParityTests
{
    private const int Steps = 16, Batch = 2, N = 13;

    internal static readonly string[] CaseNames =
        ["input", "if_exponential", "lif_linear", "lif_exponential", "alif_linear", "alif_exponential"];

    public static TheoryData<string> Cases() => [.. CaseNames];

    private static TraceNeuron Layer(string name) => name switch
    {
        "input" => new InputNeuron(N, 1.0f, 0.5f, 0.8f, "linear"),
        "if_exponential" => new IFNeuron(N, 1.0f, 0.0f, 0.6f, 1.0f, 1.0f, 2.0f, 4.0f, "exponential"),
        "lif_linear" => new LIFNeuron(N, 0.8f, -0.1f, 0.7f, 0.9f, 0.5f, 1.0f, 0.85f, 0.6f, "linear"),
        "lif_exponential" => new LIFNeuron(N, 1.0f, 0.0f, 1.2f, 1.0f, 0.5f, 0.0f, 2.0f, 3.0f, "exponential"),
        "alif_linear" => new AdaptiveLIFNeuron(N, 0.9f, 0.0f, 0.8f, 1.0f, 1.0f, 1.0f, 0.9f, 0.7f, 0.3f, 0.8f, "linear"),
        "alif_exponential" => new AdaptiveLIFNeuron(N, 1.0f, -0.2f, 2.0f, 0.5f, 0.25f, 0.5f, 1.5f, 2.0f, 0.5f, 3.0f, "exponential"),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunAndRecord(string name)
    {
        var seed = (ulong)Array.IndexOf(CaseNames, name) + 1;
        using var uniforms = Tensor.Zeros([Steps, Batch, N]);
        Philox.Uniform(uniforms, seed, offset: 7);
        var u = PySnnNeuronTests.Flat(uniforms);
        var x = name == "input" ? u.Select(v => MathF.Floor(2f * v)).ToArray() : u.Select(v => 1.6f * v - 0.2f).ToArray();
        var half = Steps / 2 * Batch * N;
        using var first = Tensor.FromArray(x[..half], [Steps / 2, Batch, N]);
        using var second = Tensor.FromArray(x[half..], [Steps / 2, Batch, N]);
        var arrays = new List<(string, float[])> { ("x", x) };
        using var layer = Layer(name);
        layer.Record([.. layer.Recordable]);
        foreach (var (tag, input) in new[] { ("1", first), ("2", second) })
        {
            using var output = layer.Forward(input);
            arrays.Add(("spikes" + tag, PySnnNeuronTests.Flat(output.Values)));
            arrays.Add(("trace" + tag, PySnnNeuronTests.Flat(output.Trace!)));
            foreach (var variable in layer.Recordable)
                arrays.Add(($"record{tag}_{variable}", PySnnNeuronTests.Flat(layer.Recorded[variable])));
        }
        foreach (var (key, value) in layer.State.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            arrays.Add(("state_" + key, PySnnNeuronTests.Flat(value)));

        Repo.WriteCase(Path.Combine("pysnn_neurons", name), arrays);
        Assert.Contains(arrays, a => a.Item1 == "spikes1" && a.Item2.Any(s => s > 0));
    }
}
