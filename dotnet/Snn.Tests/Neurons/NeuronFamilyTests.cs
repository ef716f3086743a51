using Snn.Neurons;

namespace Snn.Tests.Neurons;

/// <summary>The neuron family through the C# API: Spyx's named models and every option of NeuronModel,
/// bit for bit against <see cref="NeuronReference"/>, plus initialisation, streaming and errors.</summary>
public class NeuronFamilyTests
{
    private const int Steps = 24, Batch = 3, N = 19;

    private static float[] Flat(Tensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.CopyTo<float>(values);
        return values;
    }

    private static float[] PerNeuron(Tensor? tensor, float scalar, bool clip) =>
        tensor is null ? Enumerable.Repeat(clip ? NeuronReference.Clip(scalar) : scalar, N).ToArray()
                       : Flat(tensor).Select(d => clip ? NeuronReference.Clip(d) : d).ToArray();

    /// <summary>The reference configured like <paramref name="model"/>, with its actual decays and weights.</summary>
    private static NeuronReference ReferenceOf(NeuronModel model) => new()
    {
        Kind = model.Kind,
        Timing = model.SpikeTiming,
        Reset = model.ResetMode,
        Inclusive = model.InclusiveThreshold,
        Refractory = model.RefractorySteps,
        MaxSpikes = model.MaxSpikesPerStep,
        Threshold = model.Threshold,
        Alpha = PerNeuron(model.AlphaPerNeuron, model.Alpha, model.ClipDecays),
        Beta = PerNeuron(model.BetaPerNeuron, model.Beta, model.ClipDecays),
        Gamma = PerNeuron(model.GammaPerNeuron, model.Gamma, model.ClipDecays),
        W = model.RecurrentWeight is { } w ? Flat(w) : null,
    };

    /// <summary>Runs <paramref name="model"/> from a random state with recording and checks every tensor.</summary>
    private static void CheckAgainstReference(NeuronModel model, int seed, float high = 1.2f)
    {
        var x = Reference.RandomArray(Steps * Batch * N, seed, low: -0.4f, high: high);
        using var input = Tensor.FromArray(x, [Steps, Batch, N]);
        using var state = model.InitialState(Batch);
        var v0 = Reference.RandomArray(Batch * N, seed + 1, low: -0.5f, high: 1.5f);
        state.Membrane.CopyFrom(v0);
        var i0 = Reference.RandomArray(Batch * N, seed + 2, low: -0.3f, high: 0.6f);
        state.Current?.CopyFrom(i0);
        var a0 = Reference.RandomArray(Batch * N, seed + 3, low: 0, high: 0.5f);
        state.Adaptation?.CopyFrom(a0);
        using var output = model.Forward(input, state, record: true);
        var expected = ReferenceOf(model).Run(x, Steps, Batch, N, v0, state.Current is null ? null : i0, state.Adaptation is null ? null : a0);

        Assert.Equal(expected.Output, Flat(output.Output));
        Assert.Equal(expected.Membrane, Flat(output.Membrane!));
        Assert.Equal(expected.V, Flat(output.State.Membrane));
        Assert.Equal(model.Kind == NeuronKind.CubaLif, output.Current is not null);
        if (output.Current is not null) Assert.Equal(expected.Current, Flat(output.Current));
        if (output.State.Current is not null) Assert.Equal(expected.I, Flat(output.State.Current));
        Assert.Equal(model.Kind == NeuronKind.Alif, output.Adaptation is not null);
        if (output.Adaptation is not null) Assert.Equal(expected.Adaptation, Flat(output.Adaptation));
        if (output.State.Adaptation is not null) Assert.Equal(expected.A, Flat(output.State.Adaptation));
        if (output.Refractory is not null) Assert.Equal(expected.RefractoryRecord, Flat(output.Refractory));
        if (output.State.Refractory is not null) Assert.Equal(expected.R, Flat(output.State.Refractory));
        if (output.State.Spikes is not null) Assert.Equal(expected.S, Flat(output.State.Spikes));
        Assert.Equal(v0, Flat(state.Membrane)); // the caller's state is not modified
        if (model.Kind != NeuronKind.Li)
        {
            var fired = expected.Output.Count(s => s > 0);
            Assert.InRange(fired, expected.Output.Length / 50, expected.Output.Length * 49 / 50);
        }
    }

    public static TheoryData<string> SpyxModels() => ["IF", "LIF", "LI", "ALIF", "CuBaLIF", "RIF", "RLIF", "RCuBaLIF"];

    private static NeuronModel Spyx(string name, ulong seed) => name switch
    {
        "IF" => NeuronModel.Create(NeuronKind.If, N),
        "LIF" => NeuronModel.Create(NeuronKind.Lif, N, seed: seed),
        "LI" => NeuronModel.Create(NeuronKind.Li, N),
        "ALIF" => NeuronModel.Create(NeuronKind.Alif, N, seed: seed),
        "CuBaLIF" => NeuronModel.Create(NeuronKind.CubaLif, N, seed: seed),
        "RIF" => NeuronModel.Create(NeuronKind.If, N, seed: seed, recurrent: true),
        "RLIF" => NeuronModel.Create(NeuronKind.Lif, N, seed: seed, recurrent: true),
        "RCuBaLIF" => NeuronModel.Create(NeuronKind.CubaLif, N, seed: seed, recurrent: true),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(SpyxModels))]
    public void SpyxModelsMatchTheEquations(string name)
    {
        using var model = Spyx(name, 5);
        Assert.Equal(SpikeTiming.BeforeInput, model.SpikeTiming);
        Assert.Equal(ResetMode.Subtract, model.ResetMode);
        Assert.True(model.ClipDecays);
        Assert.Equal(name.StartsWith('R'), model.RecurrentWeight is not null);
        CheckAgainstReference(model, seed: name.Length);
        // Recurrent weights big enough to matter, and decays Spyx would clamp.
        if (model.RecurrentWeight is not null)
        {
            using var w = Tensor.FromArray(Reference.RandomArray(N * N, 9, -0.3f, 0.3f), [N, N]);
            model.RecurrentWeight = w;
        }
        if (model.BetaPerNeuron is not null)
        {
            using var beta = Tensor.FromArray(Reference.RandomArray(N, 10, -0.4f, 1.4f));
            model.BetaPerNeuron = beta;
        }
        CheckAgainstReference(model, seed: 40 + name.Length);
    }

    [Theory]
    [InlineData(NeuronKind.If, SpikeTiming.AfterInput, ResetMode.Zero, true, 0, 1)]
    [InlineData(NeuronKind.Lif, SpikeTiming.AfterInput, ResetMode.None, false, 2, 1)]
    [InlineData(NeuronKind.Lif, SpikeTiming.BeforeInput, ResetMode.Zero, true, 1, 1)]
    [InlineData(NeuronKind.Alif, SpikeTiming.AfterInput, ResetMode.Subtract, false, 3, 4)]
    [InlineData(NeuronKind.Alif, SpikeTiming.BeforeInput, ResetMode.Zero, true, 0, 1)]
    [InlineData(NeuronKind.CubaLif, SpikeTiming.AfterInput, ResetMode.Subtract, true, 2, 1)]
    [InlineData(NeuronKind.CubaLif, SpikeTiming.BeforeInput, ResetMode.Subtract, false, 0, 1000)]
    [InlineData(NeuronKind.If, SpikeTiming.BeforeInput, ResetMode.Subtract, false, 1, 3)]
    public void EveryOptionMatchesTheEquations(NeuronKind kind, SpikeTiming timing, ResetMode reset, bool inclusive, int refractory, int maxSpikes)
    {
        foreach (var recurrent in new[] { false, true })
        {
            using var model = new NeuronModel(kind, N, threshold: maxSpikes > 1 ? 0.5f : 1f, timing, reset)
            {
                InclusiveThreshold = inclusive,
                RefractorySteps = refractory,
                MaxSpikesPerStep = maxSpikes,
                Beta = 0.85f,
                Alpha = 0.6f,
                Gamma = 0.7f,
            };
            if (recurrent)
            {
                using var w = Tensor.FromArray(Reference.RandomArray(N * N, 3, -0.2f, 0.2f), [N, N]);
                model.RecurrentWeight = w;
            }
            var high = kind == NeuronKind.If && reset == ResetMode.None ? 0.5f : kind == NeuronKind.CubaLif && maxSpikes > 1 ? 0.9f : maxSpikes > 1 ? 2f : 1.2f;
            CheckAgainstReference(model, seed: (int)kind * 10 + refractory, high);
        }
    }

    [Fact]
    public void DenseLifIsTheFamilysLifWithTheSpikeAfterTheInput()
    {
        var x = Reference.RandomArray(Steps * Batch * N, 1, -0.4f, 1.2f);
        using var input = Tensor.FromArray(x, [Steps, Batch, N]);
        using var layer = new Snn.Layers.DenseLif(N, N, beta: 0.9f, threshold: 1f, bias: false);
        var identity = new float[N * N];
        for (var i = 0; i < N; i++) identity[i * N + i] = 1f; // the currents are the input itself
        layer.Weight.CopyFrom(identity);
        layer.Record("membrane");
        using var snnTorch = layer.Forward(input);
        using var family = new NeuronModel(NeuronKind.Lif, N, 1f, SpikeTiming.AfterInput) { Beta = 0.9f, ClipDecays = false };
        using var output = family.Forward(input, record: true);
        Assert.Equal(Flat(snnTorch.Values), Flat(output.Output));
        Assert.Equal(Flat(layer.Recorded["membrane"]), Flat(output.Membrane!));
        Assert.Equal(Flat(layer.State["membrane"]), Flat(output.State.Membrane));
    }

    [Fact]
    public void StreamingInTwoHalvesEqualsOneRun()
    {
        using var model = NeuronModel.Create(NeuronKind.CubaLif, N, seed: 3, recurrent: true);
        model.SpikeTiming = SpikeTiming.AfterInput;
        model.RefractorySteps = 2;
        using (var w = Tensor.FromArray(Reference.RandomArray(N * N, 4, -0.3f, 0.3f), [N, N])) model.RecurrentWeight = w;
        var x = Reference.RandomArray(Steps * Batch * N, 2, -0.4f, 1.2f);
        var half = Steps / 2 * Batch * N;
        using var whole = Tensor.FromArray(x, [Steps, Batch, N]);
        using var first = Tensor.FromArray(x[..half], [Steps / 2, Batch, N]);
        using var second = Tensor.FromArray(x[half..], [Steps / 2, Batch, N]);
        using var all = model.Forward(whole);
        using var a = model.Forward(first);
        using var b = model.Forward(second, a.State);
        Assert.Equal(Flat(all.Output), Flat(a.Output).Concat(Flat(b.Output)).ToArray());
        Assert.Equal(Flat(all.State.Membrane), Flat(b.State.Membrane));
        Assert.Equal(Flat(all.State.Current!), Flat(b.State.Current!));
        Assert.Equal(Flat(all.State.Refractory!), Flat(b.State.Refractory!));
        Assert.Equal(Flat(all.State.Spikes!), Flat(b.State.Spikes!));
        Assert.Null(all.State.Adaptation);
        Assert.Null(all.Membrane);
        Assert.Contains(1f, Flat(all.State.Spikes!));
    }

    [Fact]
    public void InitialStateHasWhatTheConfigurationUses()
    {
        using var alif = NeuronModel.Create(NeuronKind.Alif, N);
        alif.RefractorySteps = 1;
        using (var s = alif.InitialState(4))
        {
            Assert.Equal(new long[] { 4, N }, s.Membrane.Shape);
            Assert.NotNull(s.Adaptation);
            Assert.NotNull(s.Refractory);
            Assert.Null(s.Current);
            Assert.Null(s.Spikes);
            Assert.All(Flat(s.Membrane), v => Assert.Equal(0f, v));
        }
        using var rlif = NeuronModel.Create(NeuronKind.Lif, N, recurrent: true);
        rlif.SpikeTiming = SpikeTiming.AfterInput;
        using var r = rlif.InitialState(2);
        Assert.NotNull(r.Spikes);
        Assert.Null(r.Adaptation);
    }

    [Fact]
    public void SpyxInitialisationIsSeededTruncatedNormal()
    {
        const int n = 20000;
        using var lif = NeuronModel.Create(NeuronKind.Lif, n, seed: 7);
        var beta = Flat(lif.BetaPerNeuron!);
        Assert.All(beta, b => Assert.InRange(b, 0f, 1f));
        // A normal cut at 2 standard deviations keeps its mean and has 0.8796 of its standard deviation.
        Assert.InRange(beta.Average(), 0.49, 0.51);
        var std = Math.Sqrt(beta.Select(b => (b - 0.5) * (b - 0.5)).Average());
        Assert.InRange(std, 0.25 * 0.8796 - 0.005, 0.25 * 0.8796 + 0.005);
        using var same = NeuronModel.Create(NeuronKind.Lif, n, seed: 7);
        Assert.Equal(beta, Flat(same.BetaPerNeuron!));
        using var other = NeuronModel.Create(NeuronKind.Lif, n, seed: 8);
        Assert.NotEqual(beta, Flat(other.BetaPerNeuron!));
        using var scalar = NeuronModel.Create(NeuronKind.Lif, n, beta: 0.95f);
        Assert.Null(scalar.BetaPerNeuron);
        Assert.Equal(0.95f, scalar.Beta);

        using var rcuba = NeuronModel.Create(NeuronKind.CubaLif, 100, seed: 7, recurrent: true);
        var w = Flat(rcuba.RecurrentWeight!);
        Assert.All(w, v => Assert.InRange(v, -0.02f, 0.02f));
        Assert.InRange(Math.Sqrt(w.Select(v => (double)v * v).Average()), 0.01 * 0.8796 - 0.0005, 0.01 * 0.8796 + 0.0005);
        Assert.NotEqual(Flat(rcuba.AlphaPerNeuron!), Flat(rcuba.BetaPerNeuron!)); // each parameter has its own stream
        using var li = NeuronModel.Create(NeuronKind.Li, 5);
        Assert.All(Flat(li.BetaPerNeuron!), b => Assert.Equal(0.8f, b));
    }

    [Fact]
    public void TruncatedNormalFollowsItsDefinition()
    {
        // Box-Muller over the Philox stream, draws outside the bounds skipped, written here from the definition.
        const ulong seed = 11, offset = 5;
        using var target = Tensor.Zeros([3, 700]);
        Initializers.TruncatedNormal(target, mean: 0.5, std: 0.25, seed, offset, bound: 1.5);
        var expected = new List<float>();
        for (long k = 0; expected.Count < 2100; k += 2)
        {
            var r = Math.Sqrt(-2 * Math.Log(1 - (double)Reference.Uniform(seed, offset, k)));
            var angle = 2 * Math.PI * Reference.Uniform(seed, offset, k + 1);
            foreach (var z in new[] { r * Math.Cos(angle), r * Math.Sin(angle) })
                if (Math.Abs(z) <= 1.5 && expected.Count < 2100) expected.Add((float)(0.5 + 0.25 * z));
        }
        Assert.Equal(expected, Flat(target));
        Assert.Throws<ArgumentException>(() => Initializers.TruncatedNormal(target, 0, -1, seed));
        Assert.Throws<ArgumentException>(() => Initializers.TruncatedNormal(target, 0, 1, seed, bound: 0));
    }

    [Fact]
    public void DecayFromTauRejectsWhatIsNotATimeConstant()
    {
        Assert.Equal((float)Math.Exp(-0.1 / 2.0), NeuronModel.DecayFromTau(2.0, 0.1));
        Assert.Contains("tau must be finite and > 0, got -1", Assert.Throws<SnnArgumentException>(() => NeuronModel.DecayFromTau(-1, 0.1)).Message);
        Assert.Contains("tau", Assert.Throws<SnnArgumentException>(() => NeuronModel.DecayFromTau(0, 0.1)).Message);
        Assert.Contains("dt must be finite and > 0", Assert.Throws<SnnArgumentException>(() => NeuronModel.DecayFromTau(2, double.NaN)).Message);
    }

    [Fact]
    public void BadParametersAndShapesAreRejectedWithTheRule()
    {
        using var input = Tensor.Zeros([4, 2, N]);
        using var lif = NeuronModel.Create(NeuronKind.Lif, N, beta: 1.5f);
        using (var clipped = lif.Forward(input)) Assert.NotNull(clipped.Output); // Spyx clamps 1.5 to 1
        lif.ClipDecays = false;
        Assert.Contains("params.beta must be in [0, 1], got 1.5", Assert.Throws<SnnArgumentException>(() => lif.Forward(input)).Message);
        lif.Beta = float.NaN;
        lif.ClipDecays = true;
        Assert.Contains("params.beta is nan", Assert.Throws<SnnArgumentException>(() => lif.Forward(input)).Message);
        lif.Beta = 0.9f;
        lif.Threshold = -1;
        Assert.Contains("threshold must be finite and > 0", Assert.Throws<SnnArgumentException>(() => lif.Forward(input)).Message);
        lif.Threshold = 1;
        lif.RefractorySteps = -1;
        Assert.Contains("refractory_steps must be >= 0", Assert.Throws<SnnArgumentException>(() => lif.Forward(input)).Message);
        lif.RefractorySteps = 0;

        using var wrong = Tensor.Zeros([4, 2, N + 1]);
        Assert.Contains($"population has {N} neurons", Assert.Throws<SnnArgumentException>(() => lif.Forward(wrong)).Message);
        using var flat = Tensor.Zeros([4, N]);
        Assert.Contains("[time, batch, features]", Assert.Throws<SnnArgumentException>(() => lif.Forward(flat)).Message);
        using var shortBeta = Tensor.Zeros([N - 1]);
        Assert.Contains($"BetaPerNeuron must be float32 [{N}]", Assert.Throws<SnnArgumentException>(() => lif.BetaPerNeuron = shortBeta).Message);
        using var badDecays = Tensor.Full([N], 2.0);
        lif.BetaPerNeuron = badDecays;
        lif.ClipDecays = false;
        Assert.Contains("params.beta_per_neuron[0] is 2", Assert.Throws<SnnArgumentException>(() => lif.Forward(input)).Message);
        using var otherState = NeuronModel.Create(NeuronKind.Lif, N).InitialState(3); // batch 3 for an input of batch 2
        lif.ClipDecays = true;
        Assert.Contains("state->membrane [3, 19] does not match input [4, 2, 19]",
            Assert.Throws<SnnArgumentException>(() => lif.Forward(input, otherState)).Message);
        Assert.Throws<SnnArgumentException>(() => new NeuronModel((NeuronKind)9, N));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NeuronModel(NeuronKind.Lif, 0));
        using var li = NeuronModel.Create(NeuronKind.Li, N);
        li.RefractorySteps = 2;
        Assert.Contains("SNN_NEURON_LI never spikes", Assert.Throws<SnnArgumentException>(() => li.Forward(input)).Message);
        lif.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lif.Forward(input));
    }

    [Fact]
    public void SettingParametersCopiesThem()
    {
        using var lif = NeuronModel.Create(NeuronKind.Lif, N, seed: 1);
        using (var beta = Tensor.Full([N], 0.25))
        {
            lif.BetaPerNeuron = beta;
            beta.Fill(0.75);
            Assert.All(Flat(lif.BetaPerNeuron!), b => Assert.Equal(0.25f, b));
        }
        Assert.False(lif.BetaPerNeuron!.IsDisposed);
        lif.BetaPerNeuron = null;
        Assert.Null(lif.BetaPerNeuron);
        lif.BetaPerNeuron = lif.BetaPerNeuron; // null onto null
        using var input = Tensor.Full([3, 1, N], 0.6);
        using var output = lif.Forward(input, record: true);
        // Scalar beta 0.9 by default: V = 0 -> 0.6 -> 1.14 -> fires at step 2 from 1.14 (before-input timing).
        var spikes = Flat(output.Output);
        Assert.All(spikes[..(2 * N)], s => Assert.Equal(0f, s));
        Assert.All(spikes[(2 * N)..], s => Assert.Equal(1f, s));
    }
}
