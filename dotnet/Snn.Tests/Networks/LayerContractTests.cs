using System.Text.Json.Nodes;
using Snn.Connections;
using Snn.Layers;
using Snn.Networks;
using Snn.Neurons;

namespace Snn.Tests.Networks;

/// <summary>The Layer contract every layer honours: moving to a device with parameters and state, and files written
/// under the old type names (NeuronLayer, FFIAF, CurrentIaf, LeakyIntegrator, PySNN's neurons with cells_shape) still loading.</summary>
public class LayerContractTests
{
    private const int Steps = 20, Batch = 2, In = 6, Hidden = 5;

    private static float[] Flat(Tensor t)
    {
        var values = new float[t.ElementCount];
        t.CopyTo<float>(values);
        return values;
    }

    private static Tensor Input(int seed)
    {
        var rng = new Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, Steps * Batch * In).Select(_ => rng.NextDouble() < 0.4 ? 1f : 0f).ToArray(), [Steps, Batch, In]);
    }

    [Fact]
    public void ToCopiesArchitectureParametersAndStateToAnotherDevice()
    {
        using var net = new Sequential(
            new Linear(In, Hidden, seed: 1, name: "fc"),
            new Population(NeuronModel.Create(NeuronKind.Lif, Hidden, seed: 2), "lif"),
            new DenseLif(Hidden, Hidden, beta: 0.8f, threshold: 0.5f, seed: 3, name: "dense"),
            new Snn.PySnn.LIFNeuron(Hidden, 1f, 0f, 1f, 1f, 1f, 0f, 0.5f, 0.5f, name: "trace"));
        using var first = Input(4);
        using var second = Input(5);
        using (net.Forward(first)) { }
        using var device = Device.Cpu(2);
        using var moved = net.To(device);
        Assert.Same(device, moved.Device);
        Assert.Equal(net.Parameters.Keys.Order(), moved.Parameters.Keys.Order());
        foreach (var (name, tensor) in net.Parameters) Assert.Equal(Flat(tensor), Flat(moved.Parameters[name]));
        Assert.Equal(net.State.Keys.Order(), moved.State.Keys.Order());
        Assert.Contains("lif.membrane", moved.State.Keys);
        using var onMoved = second.To(device);
        using var expected = net.Forward(second);
        using var actual = moved.Forward(onMoved);
        Assert.Equal(Flat(expected.Values), Flat(actual.Values));
        Assert.True(Flat(expected.Values).Sum() > 0);
    }

    [Fact]
    public void OldTypeNamesStillLoad()
    {
        using var x = Input(6);
        using var currents = Tensor.FromArray(Flat(x).Select(v => 0.7f * v).ToArray(), [Steps, Batch, In]);

        using var population = new Population(NeuronModel.Create(NeuronKind.Alif, In, beta: 0.8f, seed: 7));
        var old = population.Config.ToJson();
        old["type"] = "NeuronLayer";
        ((JsonObject)old["config"]!).Remove("model"); // files from before populations had models
        using var rebuilt = LayerRegistry.Create(LayerConfig.FromJson(old), Device.Default);
        Assert.IsType<Population>(rebuilt);
        foreach (var (name, tensor) in population.Parameters) rebuilt.Parameters[name].CopyFrom(tensor); // as the loader does
        using (var a = population.Forward(currents))
        using (var b = rebuilt.Forward(currents))
            Assert.Equal(Flat(a.Values), Flat(b.Values));

        using var lif = new Snn.PySnn.LIFNeuron([In], 1f, 0f, 1f, 1f, 1f, 0f, 0.5f, 0.5f);
        var pysnn = lif.Config.ToJson();
        var entries = (JsonObject)pysnn["config"]!;
        entries["cells_shape"] = entries["shape"]!.DeepClone(); // PySNN's neurons saved their shape as cells_shape
        entries.Remove("shape");
        entries.Remove("model");
        entries.Remove("kind");
        using var trace = LayerRegistry.Create(LayerConfig.FromJson(pysnn), Device.Default);
        Assert.IsType<Snn.PySnn.LIFNeuron>(trace);
        using (var a = lif.Forward(currents))
        using (var b = trace.Forward(currents))
            Assert.Equal(Flat(a.Values), Flat(b.Values));

        using var iaf = new Population(new CurrentIafModel(new float[In, 3], 0.02));
        var ffiaf = iaf.Config.ToJson();
        ffiaf["type"] = "FFIAF";
        ((JsonObject)ffiaf["config"]!).Remove("model"); // the former layer's configuration had no model entry
        ((JsonObject)ffiaf["config"]!).Remove("shape");
        using var loaded = LayerRegistry.Create(LayerConfig.FromJson(ffiaf), Device.Default);
        Assert.IsType<CurrentIafModel>(Assert.IsType<Population>(loaded).Model);
        Assert.Equal([(long)In], loaded.InputShape);
    }

    /// <summary>Files written by the former LeakyIntegrator and CurrentIaf layers (dotnet/Snn.Tests/Networks/Files,
    /// saved after one call so they hold state): they load as populations with their parameters and state, and the
    /// next call gives what the former layers gave after loading the same file.</summary>
    [Fact]
    public void FilesOfTheFormerLayersLoadAsPopulations()
    {
        var files = Path.Combine(Repo.Root, "dotnet", "Snn.Tests", "Networks", "Files");
        using (var li = Assert.IsType<Population>(Layer.Load(Path.Combine(files, "leaky_integrator_v1.snn"))))
        {
            var model = Assert.IsType<NeuronModel>(li.Model);
            Assert.Equal((NeuronKind.Lif, 1f, "li"), (model.Kind, model.Threshold, li.Name));
            Assert.Equal([0.5f, 0.25f, 0.75f], Flat(li.Parameters["beta"]));
            Assert.Equal([2f, 1f, 0.5f], Flat(li.Parameters["input_scale"]));
            double[] state = [1.0499999523162842, 0.2171875238418579, 0.07968753576278687, 0.05000007152557373, 0.6781250238418579, 0.7593749761581421];
            Assert.Equal(state.Select(v => (float)v), Flat(li.State["membrane"]));
            using var x = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => i % 5 * 0.3f).ToArray(), [4, 2, 3]);
            using var output = li.Forward(x);
            Assert.Equal([0f, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0], Flat(output.Values));
        }
        using (var iaf = Assert.IsType<Population>(Layer.Load(Path.Combine(files, "current_iaf_v1.snn"))))
        {
            var model = Assert.IsType<CurrentIafModel>(iaf.Model);
            Assert.Equal(("iaf", "rk4", 1, 5UL), (iaf.Name, model.IntegratorName, model.RefractorySteps, model.Seed));
            Assert.Equal([1e-3f, 2e-3f, 3e-3f], Flat(model.Bias));
            using var x = Tensor.Full([20, 2, 2], 3.0);
            using var output = iaf.Forward(x);
            var spikes = Flat(output.Values);
            // the former layer's spikes per (sample, neuron) over the 20 steps
            string[] expected = ["00000010000000000000", "00000010000000000100", "10000000010000001000",
                "00001000000000001000", "10000000001000000000", "00100000001000000001"];
            for (var k = 0; k < 6; k++)
                Assert.Equal(expected[k], string.Concat(Enumerable.Range(0, 20).Select(t => spikes[t * 6 + k] > 0 ? '1' : '0')));
        }
    }
}
