using Snn.Neurons;

namespace Snn.Tests.Neurons;

/// <summary>
/// The C# half of the neuron parity check with python/tests/test_neurons_parity.py, which runs the same cases
/// through the Python API and requires identical bytes. Recipe, per case (same table on both sides):
/// input x [16, 2, 13] = 1.6 * u - 0.4 in float32, u = Philox.Uniform stream (case seed, offset 7); the model of
/// the case; out1 = Forward(x[:8], record), out2 = Forward(x[8:], out1.State, record); every parameter and result
/// array is written as raw float32 to $SNN_SCENARIO_OUT/csharp/neurons/&lt;case&gt;/&lt;array&gt;.bin (default tests/out).
/// </summary>
public class NeuronParityTests
{
    private const int Steps = 16, Batch = 2, N = 13;

    public static TheoryData<string> Cases() => [.. CaseNames];

    internal static readonly string[] CaseNames =
        ["if", "lif", "li", "alif", "cubalif", "rif", "rlif", "rcubalif", "options", "lif_snntorch"];

    private static NeuronModel Model(string name) => name switch
    {
        "if" => NeuronModel.Create(NeuronKind.If, N, threshold: 0.9f),
        "lif" => NeuronModel.Create(NeuronKind.Lif, N, seed: 3),
        "li" => NeuronModel.Create(NeuronKind.Li, N),
        "alif" => NeuronModel.Create(NeuronKind.Alif, N, seed: 4),
        "cubalif" => NeuronModel.Create(NeuronKind.CubaLif, N, seed: 5),
        "rif" => NeuronModel.Create(NeuronKind.If, N, seed: 6, recurrent: true),
        "rlif" => NeuronModel.Create(NeuronKind.Lif, N, seed: 7, recurrent: true),
        "rcubalif" => NeuronModel.Create(NeuronKind.CubaLif, N, beta: 0.95f, seed: 8, recurrent: true),
        "options" => new NeuronModel(NeuronKind.Alif, N, 0.5f, SpikeTiming.AfterInput, ResetMode.Zero)
        {
            InclusiveThreshold = true, RefractorySteps = 2, MaxSpikesPerStep = 3, Beta = 0.85f, Gamma = 0.7f,
        },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunAndRecord(string name)
    {
        var seed = (ulong)Array.IndexOf(CaseNames, name) + 1;
        using var uniforms = Tensor.Zeros([Steps, Batch, N]);
        Philox.Uniform(uniforms, seed, offset: 7);
        var x = ((float[,,])uniforms.ToArray()).Cast<float>().Select(u => 1.6f * u - 0.4f).ToArray();
        var half = Steps / 2 * Batch * N;
        using var first = Tensor.FromArray(x[..half], [Steps / 2, Batch, N]);
        using var second = Tensor.FromArray(x[half..], [Steps / 2, Batch, N]);
        var arrays = new List<(string, float[])> { ("x", x) };
        float[] Flat(Tensor t) => ((Array)t.ToArray()).Cast<float>().ToArray();
        void Add(string key, Tensor? t)
        {
            if (t is not null) arrays.Add((key, Flat(t)));
        }

        if (name == "lif_snntorch")
        {
            // snnTorch's LIF: the family's LIF with the spike after the input and the decay checked, not clamped.
            using var lif = new NeuronModel(NeuronKind.Lif, N, 1f, SpikeTiming.AfterInput) { Beta = 0.9f, ClipDecays = false };
            using var a = lif.Forward(first, record: true);
            using var b = lif.Forward(second, a.State, record: true);
            Add("out1", a.Output);
            Add("membrane1", a.Membrane);
            Add("state1_membrane", a.State.Membrane);
            Add("out2", b.Output);
            Add("membrane2", b.Membrane);
            Add("state2_membrane", b.State.Membrane);
        }
        else
        {
            using var model = Model(name);
            Add("alpha", model.AlphaPerNeuron);
            Add("beta", model.BetaPerNeuron);
            Add("gamma", model.GammaPerNeuron);
            Add("w", model.RecurrentWeight);
            using var a = model.Forward(first, record: true);
            using var b = model.Forward(second, a.State, record: true);
            foreach (var (tag, output) in new[] { ("1", a), ("2", b) })
            {
                Add("out" + tag, output.Output);
                Add("membrane" + tag, output.Membrane);
                Add("current" + tag, output.Current);
                Add("adaptation" + tag, output.Adaptation);
                Add("refractory" + tag, output.Refractory);
                Add($"state{tag}_membrane", output.State.Membrane);
                Add($"state{tag}_current", output.State.Current);
                Add($"state{tag}_adaptation", output.State.Adaptation);
                Add($"state{tag}_refractory", output.State.Refractory);
                Add($"state{tag}_spikes", output.State.Spikes);
            }
        }

        Repo.WriteCase(Path.Combine("neurons", name), arrays);
        if (name != "li") Assert.Contains(arrays, a => a.Item1 == "out1" && a.Item2.Any(s => s > 0));
    }
}
