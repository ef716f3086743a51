using System.Diagnostics;
using System.Numerics.Tensors;
using Snn.Datasets;
using Snn.Encoding;
using Snn.Layers;

namespace Snn.Cli;

/// <summary>
/// The main job: Fashion-MNIST test images, Poisson-encoded, through one dense LIF layer, with spike
/// statistics and throughput. Pixel intensities are scaled by --rate into spike probabilities per step.
/// </summary>
internal static class Demo
{
    public static void Run(Options options)
    {
        var kind = options.String("device", "cpu") switch
        {
            "cpu" => DeviceKind.Cpu,
            "cuda" => DeviceKind.Cuda,
            var other => throw new ArgumentException($"--device must be cpu or cuda, got '{other}'."),
        };
        int batch = options.Int("batch", 500), steps = options.Int("steps", 100), hidden = options.Int("hidden", 1024);
        float rate = options.Float("rate", 0.25f);
        if (rate is < 0 or > 1) throw new ArgumentException($"--rate is a spike probability per step in [0, 1], got {rate}.");
        var seed = options.ULong("seed", 1);

        var data = FashionMnist.Load(directory: options.String("data", FashionMnist.DefaultDirectory));
        var count = Math.Min(options.Int("limit", data.Count), data.Count);
        var features = data.Images.GetLength(1);
        using var device = Device.Open(kind);
        Console.WriteLine($"snn {Library.Version} demo on {device}");
        Console.WriteLine($"Fashion-MNIST test images: {count} of {data.Count}, {features} pixels, T = {steps}, batch {batch}, dense LIF {features} -> {hidden}");

        var encoder = new PoissonEncoder(steps, seed);
        using var layer = new DenseLif(features, hidden, options.Float("beta", 0.9f), options.Float("threshold", 1f), device: device, seed: seed);
        var stats = new Stats(hidden);
        var encodeTime = new Stopwatch();
        var layerTime = new Stopwatch();
        for (var start = 0; start < count; start += batch)
        {
            var rows = Math.Min(batch, count - start);
            var intensities = new float[rows, features];
            for (var r = 0; r < rows; r++)
                for (var f = 0; f < features; f++)
                    intensities[r, f] = data.Images[start + r, f] * rate;
            using var input = Tensor.FromArray(intensities, device);

            encodeTime.Start();
            using var spikes = encoder.Encode(input);
            device.Synchronize();
            encodeTime.Stop();

            layer.ResetState(); // every batch holds new images
            layerTime.Start();
            using var output = layer.Forward(spikes);
            device.Synchronize();
            layerTime.Stop();

            stats.Add(spikes, output.Values, data.Labels.AsSpan(start, rows));
        }
        stats.Print(count, steps, features, encodeTime.Elapsed, layerTime.Elapsed);
    }

    /// <summary>Spike counts gathered over the run.</summary>
    private sealed class Stats(int hidden)
    {
        private readonly double[] _perNeuron = new double[hidden];
        private readonly double[] _perClass = new double[10];
        private readonly int[] _classCounts = new int[10];
        private double _inputSpikes, _outputSpikes;

        public void Add(Tensor input, Tensor output, ReadOnlySpan<byte> labels)
        {
            _inputSpikes += TensorPrimitives.Sum(Download(input));
            var spikes = Download(output);
            var shape = output.Shape;
            int steps = (int)shape[0], rows = (int)shape[1], neurons = (int)shape[2];
            for (var t = 0; t < steps; t++)
                for (var r = 0; r < rows; r++)
                {
                    var row = spikes.AsSpan((t * rows + r) * neurons, neurons);
                    var total = TensorPrimitives.Sum(row);
                    _outputSpikes += total;
                    _perClass[labels[r]] += total;
                    for (var n = 0; n < neurons; n++) _perNeuron[n] += row[n];
                }
            foreach (var label in labels) _classCounts[label]++;
        }

        public void Print(int samples, int steps, int features, TimeSpan encode, TimeSpan layer)
        {
            var neurons = _perNeuron.Length;
            Console.WriteLine($"input spikes:  {_inputSpikes:N0} ({_inputSpikes / samples:F1} per image, rate {_inputSpikes / ((double)samples * steps * features):F4} per pixel per step)");
            Console.WriteLine($"output spikes: {_outputSpikes:N0} ({_outputSpikes / samples:F1} per image, rate {_outputSpikes / ((double)samples * steps * neurons):F4} per neuron per step)");
            Console.WriteLine($"silent neurons: {_perNeuron.Count(c => c == 0)} of {neurons}; busiest neuron fired {_perNeuron.Max() / samples:F1} times per image");
            Console.WriteLine("output spikes per image by class: " + string.Join(", ",
                Enumerable.Range(0, 10).Where(c => _classCounts[c] > 0).Select(c => $"{FashionMnist.ClassNames[c]} {_perClass[c] / _classCounts[c]:F0}")));
            var total = encode + layer;
            Console.WriteLine($"time: encode {encode.TotalMilliseconds:F0} ms, dense LIF {layer.TotalMilliseconds:F0} ms");
            Console.WriteLine($"throughput: {samples / total.TotalSeconds:F0} images/s, {(double)samples * steps / total.TotalSeconds:F0} image-steps/s, " +
                              $"{_inputSpikes * neurons / layer.TotalSeconds / 1e9:F2} G synaptic events/s (input spikes x fan-out)");
        }

        private static float[] Download(Tensor tensor)
        {
            var values = new float[tensor.ElementCount];
            tensor.CopyTo<float>(values);
            return values;
        }
    }
}
