// Times snn's dense LIF layer from C#: the matrix multiply alone (Dense.Forward) and the whole
// layer (DenseLif.Forward), on the same input recipe as bench/dense_lif.py (Poisson spikes, --density). Prints one JSON object
// with every repetition in milliseconds, so the Python driver can put C# beside Python and PyTorch.
using System.Diagnostics;
using System.Text.Json;
using Snn;
using Snn.Encoding;
using Snn.Layers;

var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--")).ToDictionary(p => p.a[2..], p => args[p.i + 1]);
int Get(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
int nIn = Get("in", 1024), nOut = Get("out", 1024), steps = Get("steps", 500), batch = Get("batch", 16);
int warmup = Get("warmup", 5), repeats = Get("repeats", 10), threads = Get("threads", 0);
double density = options.TryGetValue("density", out var d) ? double.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : 0.2;

using var device = Device.Cpu(threads);
using var intensities = Tensor.Full([batch, nIn], density, device: device);
using var input = new PoissonEncoder(steps, seed: 1).Encode(intensities);
using var layer = new DenseLif(nIn, nOut, beta: 0.9f, threshold: 1f, device: device, seed: 2);

double[] Time(Action action)
{
    for (var i = 0; i < warmup; i++) action();
    var times = new double[repeats];
    for (var i = 0; i < repeats; i++)
    {
        var clock = Stopwatch.StartNew();
        action();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    return times;
}

using var currents = Tensor.Zeros([steps, batch, nOut], device: device);
var matmul = Time(() => layer.Synapses.Forward(input, currents));
var whole = Time(() => layer.Forward(input).Dispose());
Console.WriteLine(JsonSerializer.Serialize(new { threads = device.NumThreads, matmul_ms = matmul, layer_ms = whole }));
