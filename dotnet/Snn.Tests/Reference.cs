namespace Snn.Tests;

/// <summary>
/// Independent references written from the published definitions (Random123's Philox4x32-10, the
/// LIF equations, y = x W^T + b), never from snn's sources, so the library is checked against them.
/// </summary>
internal static class Reference
{
    public static uint[] Philox(uint[] counter, uint[] key)
    {
        uint c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3], k0 = key[0], k1 = key[1];
        for (var round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += 0x9E3779B9; k1 += 0xBB67AE85; }
            ulong p0 = 0xD2511F53UL * c0, p1 = 0xCD9E8D57UL * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return [c0, c1, c2, c3];
    }

    /// <summary>Element i of uniform stream (seed, offset), as random.h defines it.</summary>
    public static float Uniform(ulong seed, ulong offset, long i)
    {
        var block = (ulong)i / 4;
        var words = Philox([(uint)block, (uint)(block >> 32), (uint)offset, (uint)(offset >> 32)], [(uint)seed, (uint)(seed >> 32)]);
        return (words[i % 4] >> 8) * (1f / 16777216f);
    }

    public static float[] Linear(float[] x, int rows, int nIn, float[] w, int nOut, float[]? b)
    {
        var y = new float[rows * nOut];
        for (var r = 0; r < rows; r++)
            for (var o = 0; o < nOut; o++)
            {
                double sum = b?[o] ?? 0;
                for (var i = 0; i < nIn; i++) sum += (double)x[r * nIn + i] * w[o * nIn + i];
                y[r * nOut + o] = (float)sum;
            }
        return y;
    }

    /// <summary>The LIF recurrence of lif.h; returns spikes, pre-reset membrane and final state.</summary>
    public static (float[] Spikes, float[] Membrane, float[] State) Lif(float[] current, int steps, int width, float beta, float threshold, int resetMode, float[]? initial = null)
    {
        var v = initial is null ? new float[width] : (float[])initial.Clone();
        var spikes = new float[steps * width];
        var membrane = new float[steps * width];
        for (var t = 0; t < steps; t++)
            for (var j = 0; j < width; j++)
            {
                v[j] = beta * v[j] + current[t * width + j];
                membrane[t * width + j] = v[j];
                if (v[j] > threshold)
                {
                    spikes[t * width + j] = 1;
                    v[j] = resetMode switch { 0 => v[j] - threshold, 1 => 0f, _ => v[j] };
                }
            }
        return (spikes, membrane, v);
    }

    public static float[] RandomArray(int length, int seed, float low = -1, float high = 1)
    {
        var random = new System.Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++) values[i] = low + (high - low) * random.NextSingle();
        return values;
    }
}
