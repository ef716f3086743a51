using Snn.Interop;
using Snn.Native;

namespace Snn;

/// <summary>
/// The counter-based generator behind every random number in snn (Philox4x32-10). Numbers are a pure
/// function of (seed, offset, element index), so CPU, CUDA, any thread count and C# or Python agree.
/// </summary>
public static unsafe class Philox
{
    /// <summary>One Philox4x32-10 block: four counter words and two key words give four random words.</summary>
    public static uint[] Block(uint[] counter, uint[] key)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(key);
        if (counter.Length != 4) throw new ArgumentException($"counter needs 4 words, got {counter.Length}.", nameof(counter));
        if (key.Length != 2) throw new ArgumentException($"key needs 2 words, got {key.Length}.", nameof(key));
        NativeLibraryGate.EnsureLoaded();
        var result = new uint[4];
        fixed (uint* c = counter)
        fixed (uint* k = key)
        fixed (uint* r = result)
            NativeCall.Check(Methods.snn_philox4x32_10(c, k, r));
        return result;
    }

    /// <summary>Fills a float32 tensor with uniforms in [0, 1): element i gets number i of stream (seed, offset).</summary>
    public static void Uniform(Tensor output, ulong seed, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        NativeCall.Check(Methods.snn_random_uniform(output.Pointer, seed, offset));
        GC.KeepAlive(output);
    }
}
