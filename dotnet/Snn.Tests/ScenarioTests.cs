using System.Text.Json;
using Snn.Encoding;
using Snn.Layers;
using Snn.Neurons;

namespace Snn.Tests;

/// <summary>
/// Runs tests/scenarios/*.json through the C# API and writes every array for the byte-for-byte
/// comparison with the Python run (tests/test_scenarios.py). The recipe is in tests/scenarios/README.md.
/// </summary>
public class ScenarioTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests", "scenarios"), "*.json").Order())
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void RunAndRecord(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "tests", "scenarios", name + ".json")));
        var s = json.RootElement;
        var seed = s.GetProperty("seed").GetUInt64();
        int batch = s.GetProperty("batch").GetInt32(), features = s.GetProperty("features").GetInt32();
        int steps = s.GetProperty("steps").GetInt32(), hidden = s.GetProperty("hidden").GetInt32();
        var rate = s.GetProperty("rate").GetSingle();
        var reset = Enum.Parse<ResetMode>(s.GetProperty("reset").GetString()!);

        using var intensities = Tensor.Zeros([batch, features]);
        Philox.Uniform(intensities, seed, offset: 1000);
        var span = intensities.AsSpan<float>();
        for (var i = 0; i < span.Length; i++) span[i] *= rate;

        var encoder = new PoissonEncoder(steps, seed);
        using var spikes = encoder.Encode(intensities);
        using var spikes2 = encoder.Encode(intensities);
        using var layer = new DenseLif(features, hidden, s.GetProperty("beta").GetSingle(), s.GetProperty("threshold").GetSingle(), reset, seed: seed);
        layer.Record("membrane");
        using var output = layer.Forward(spikes);
        using var membrane = layer.Recorded["membrane"].Clone();
        using var state = layer.State["membrane"].Clone();
        layer.Record();
        using var output2 = layer.Forward(spikes2); // the state carries over from the first call

        var arrays = new (string Name, Tensor Tensor)[]
        {
            ("intensities", intensities), ("spikes", spikes), ("spikes2", spikes2), ("weight", layer.Weight),
            ("out_spikes", output.Values), ("out_membrane", membrane), ("out_state", state),
            ("out2_spikes", output2.Values), ("out2_state", layer.State["membrane"]),
        };
        Repo.WriteCase(name, arrays.Select(a =>
        {
            var values = new float[a.Tensor.ElementCount];
            a.Tensor.CopyTo<float>(values);
            return (a.Name, values);
        }));
        Assert.True(((float[,,])output.Values.ToArray()).Cast<float>().Sum() > 0, "a scenario should make the layer spike");
    }
}
