using System.Runtime.InteropServices;
using Snn.EventDriven;

namespace Snn.Tests.EventDriven;

/// <summary>
/// The C# half of the event-driven C#/Python scenario: builds a seeded network, runs one unsorted
/// sample and a batch, and writes every array as raw little-endian bytes to
/// $SNN_SCENARIO_OUT/csharp/event_three_layers/ (default tests/out). python/tests/test_event_driven_scenario.py
/// follows the same recipe (docs/event-driven.md) and requires its files to be identical byte for byte.
/// </summary>
public class EventScenarioTests
{
    private const ulong Seed = 1234;
    private const int Inputs = 100, SpikesPerSample = 200, BatchSamples = 4;

    [Fact]
    public void RunAndRecordEventThreeLayers()
    {
        Initializer.SetSeed(Seed);
        using var net = new SpikingNetwork();
        net.AddFcLayer(Inputs, 64, 0.01f, 0.5f, new UniformInitializer(-1f, 1f));
        net.AddFcLayer(64, 32, 0.008f, 0.4f, new NormalInitializer(0.05f, 0.25f));
        net.AddFcLayer(32, 10, 0.01f, 0.5f, new ConstantInitializer(0.3f));

        var files = new Dictionary<string, Array>();
        for (var l = 0; l < net.Count; l++) files[$"w{l}"] = net[l].Weights;

        var (indices, times) = Sample(0);
        var output = net.Infer(indices, times);
        Assert.True(output.Count > 0, "the scenario should make the output layer fire");
        for (var l = 0; l < net.Count; l++)
        {
            files[$"l{l}_indices"] = net[l].PostSpikes.Indices;
            files[$"l{l}_times"] = net[l].PostSpikes.Times;
            files[$"l{l}_counts"] = net[l].NSpikes;
        }

        var batch = Enumerable.Range(0, BatchSamples).Select(s =>
        {
            var (i, t) = Sample(s);
            var spikes = new SpikeArray(i, t);
            spikes.Sort();
            return spikes;
        }).ToList();
        var outputs = net.InferBatch(batch);
        Assert.True(SpikingNetworkTests.BitEqual(output, outputs[0]), "sample 0 alone and in the batch agree");
        for (var s = 0; s < BatchSamples; s++)
            for (var l = 0; l < net.Count; l++)
            {
                files[$"b{s}_l{l}_indices"] = net[l].GetPostSpikes(s).Indices;
                files[$"b{s}_l{l}_times"] = net[l].GetPostSpikes(s).Times;
            }

        var folder = Path.Combine(Repo.ScenarioOutput, "csharp", "event_three_layers");
        Directory.CreateDirectory(folder);
        foreach (var (name, array) in files)
        {
            var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array),
                checked(array.Length * (array is float[,] or float[] ? sizeof(float) : sizeof(uint)))));
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bytes.ToArray());
        }
    }

    // Sample s: Philox.Uniform (seed, offset 4000 + s) of 2 * 200 numbers; spike k has index
    // floor(u[2k] * 100) and time 0.1 * u[2k + 1], in float32, left unsorted.
    private static (uint[] Indices, float[] Times) Sample(int s)
    {
        using var u = Tensor.Zeros([2 * SpikesPerSample]);
        Philox.Uniform(u, Seed, 4000 + (ulong)s);
        var values = (float[])u.ToArray();
        var indices = new uint[SpikesPerSample];
        var times = new float[SpikesPerSample];
        for (var k = 0; k < SpikesPerSample; k++)
        {
            indices[k] = (uint)(values[2 * k] * Inputs);
            times[k] = 0.1f * values[2 * k + 1];
        }
        return (indices, times);
    }
}
