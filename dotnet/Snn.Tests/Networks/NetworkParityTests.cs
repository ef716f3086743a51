using Snn.Networks;
using Snn.Neurons;
using Snn.PySnn;

namespace Snn.Tests.Networks;

/// <summary>
/// C#/Python parity of saved networks: builds a graph of library layers (a Spyx LIF with per-neuron decays, a PySNN
/// LIF with traces, their merge into an ALIF, a recurrent edge), runs half of a fixed input, saves the network, runs
/// the other half, and writes the file, the input and the second half's output to
/// $SNN_SCENARIO_OUT/csharp/networks/ (default tests/out). python/tests/test_networks.py loads the file, runs the same
/// half and requires identical bytes.
/// </summary>
public class NetworkParityTests
{
    internal const int Steps = 24, Batch = 2, N = 9;

    internal static Graph Build() => new GraphBuilder([N])
        .Add(new Population(NeuronModel.Create(NeuronKind.Lif, N, beta: null, threshold: 0.8f, seed: 5), "spyx"), GraphBuilder.InputName)
        .Add(new LIFNeuron(N, 0.6f, 0f, 1f, 1f, 1f, 2f, 10f, 0.7f, "exponential", name: "pysnn"), GraphBuilder.InputName)
        .Add(new Population(NeuronModel.Create(NeuronKind.Alif, N, beta: 0.9f, gamma: 0.8f, threshold: 1f, seed: 6), "merge"), "spyx", "pysnn")
        .AddRecurrent("merge", "pysnn")
        .Build(output: "merge");

    [Fact]
    public void SavedGraphRunsTheSameFromBothLanguages()
    {
        var dir = Path.Combine(Repo.ScenarioOutput, "csharp", "networks");
        Directory.CreateDirectory(dir);
        using var uniforms = Tensor.Zeros([Steps, Batch, N]);
        Philox.Uniform(uniforms, seed: 11, offset: 0);
        var x = uniforms.ToArray().Cast<float>().Select(u => u * 1.5f).ToArray();
        using var input = Tensor.FromArray(x, [Steps, Batch, N]);
        using var first = input.Slice(0, Steps / 2);
        using var second = input.Slice(Steps / 2, Steps - Steps / 2);
        using var graph = Build();
        using (graph.Forward(first)) { }
        graph.Save(Path.Combine(dir, "graph.snn"));
        using var output = graph.Forward(second);
        var values = output.Values.ToArray().Cast<float>().ToArray();
        Assert.True(values.Sum() > 3, "the scenario must spike");
        File.WriteAllBytes(Path.Combine(dir, "input.bin"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(dir, "output.bin"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

        using var loaded = Layer.Load(Path.Combine(dir, "graph.snn")); // and C# reads it back the same way
        using var again = loaded.Forward(second);
        Assert.Equal(values, again.Values.ToArray().Cast<float>());
    }
}
