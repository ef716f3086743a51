// Uses snn exactly as a package consumer would, and fails loudly if anything is off.
using Snn;
using Snn.Encoding;
using Snn.Layers;

Check(Library.NativePath.Contains("runtimes/linux-x64/native"), $"libsnn.so should come from the package, came from {Library.NativePath}");
using var intensities = Tensor.Full([8, 64], 0.3);
using var spikes = new PoissonEncoder(numSteps: 50, seed: 1).Encode(intensities);
using var layer = new DenseLif(64, 32, beta: 0.9f, threshold: 1f, seed: 2);
using var output = layer.Forward(spikes);
var counts = (float[,,])output.Values.ToArray();
var total = counts.Cast<float>().Sum();
Check(output.Values.Shape.SequenceEqual(new long[] { 50, 8, 32 }), "output shape");
Check(total > 0, "the layer should spike");
Console.WriteLine($"consumer: snn {Library.Version} from {Library.NativePath}: {total} output spikes");
return 0;

static void Check(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException("consumer check failed: " + what);
}
