using Snn.Neurons;

namespace Snn.Tests.Neurons;

/// <summary>
/// The neuron family's equations (docs/neurons.md), written out element by element in float32 for the tests,
/// independently of the library: each model is spelled out on its own, in the order the equations give.
/// </summary>
internal sealed class NeuronReference
{
    public NeuronKind Kind = NeuronKind.Lif;
    public SpikeTiming Timing = SpikeTiming.BeforeInput;
    public ResetMode Reset = ResetMode.Subtract;
    public bool Inclusive;
    public int Refractory;
    public int MaxSpikes = 1;
    public float Threshold = 1f;
    public float[] Alpha = [], Beta = [], Gamma = []; // per neuron (already clamped where the model clamps)
    public float[]? W; // [N, N] indexed [pre, post]

    public sealed class Result
    {
        public required float[] Output, Membrane, Current, Adaptation, RefractoryRecord;
        public required float[] V, I, A, R, S;
    }

    public static float Clip(float d) => d < 0 ? 0 : d > 1 ? 1 : d;

    private float Count(float v, float th)
    {
        var fires = Inclusive ? v >= th : v > th;
        if (!fires) return 0;
        if (MaxSpikes <= 1) return 1;
        var n = MathF.Floor(v / th);
        return Math.Clamp(n, 1f, MaxSpikes);
    }

    public Result Run(float[] x, int steps, int batch, int n, float[]? v0 = null, float[]? i0 = null, float[]? a0 = null,
        float[]? r0 = null, float[]? s0 = null)
    {
        var bn = batch * n;
        float[] v = Copy(v0, bn), cur = Copy(i0, bn), adapt = Copy(a0, bn), refr = Copy(r0, bn), last = Copy(s0, bn);
        var res = new Result
        {
            Output = new float[x.Length], Membrane = new float[x.Length], Current = new float[x.Length],
            Adaptation = new float[x.Length], RefractoryRecord = new float[x.Length], V = v, I = cur, A = adapt, R = refr, S = last,
        };
        var now = new float[bn];
        var rec = new float[bn];
        for (var t = 0; t < steps; t++)
        {
            for (var k = 0; k < bn; k++)
            {
                var th = Kind == NeuronKind.Alif ? Threshold + adapt[k] : Threshold;
                now[k] = Kind == NeuronKind.Li || refr[k] > 0 ? 0 : Count(v[k], th);
            }
            Array.Clear(rec);
            if (W is not null)
            {
                var source = Timing == SpikeTiming.BeforeInput ? now : last;
                for (var b = 0; b < batch; b++)
                    for (var post = 0; post < n; post++)
                    {
                        var acc = 0f;
                        for (var pre = 0; pre < n; pre++)
                            if (source[b * n + pre] != 0) acc += source[b * n + pre] * W[pre * n + post];
                        rec[b * n + post] = acc;
                    }
            }
            for (var k = 0; k < bn; k++)
            {
                var j = k % n;
                var e = t * bn + k;
                float input = x[e], r = rec[k], V = v[k], I = cur[k], A = adapt[k], R = refr[k];
                var held = R > 0;
                res.Adaptation[e] = A;
                res.RefractoryRecord[e] = R;
                var th = Kind == NeuronKind.Alif ? Threshold + A : Threshold;
                float s;
                if (Kind == NeuronKind.Li)
                {
                    V = Beta[j] * V + input;
                    res.Membrane[e] = res.Output[e] = v[k] = V;
                    continue;
                }
                if (Timing == SpikeTiming.BeforeInput)
                {
                    res.Membrane[e] = V;
                    s = now[k];
                    if (Kind == NeuronKind.CubaLif)
                    {
                        var reset = Reset switch { ResetMode.Subtract => V - s * th, ResetMode.Zero when s > 0 => 0f, _ => V };
                        I = W is null ? Alpha[j] * I + input : Alpha[j] * I + input + r;
                        if (!held) V = Beta[j] * reset + I;
                    }
                    else
                    {
                        var decayed = Kind == NeuronKind.If ? V : Beta[j] * V;
                        if (Reset == ResetMode.Zero && s > 0) decayed = 0;
                        var next = W is null ? decayed + input : decayed + input + r;
                        if (Reset == ResetMode.Subtract) next -= s * th;
                        if (!held) V = next;
                    }
                }
                else
                {
                    float pre;
                    if (Kind == NeuronKind.CubaLif)
                    {
                        I = W is null ? Alpha[j] * I + input : Alpha[j] * I + input + r;
                        pre = Beta[j] * V + I;
                    }
                    else
                    {
                        var decayed = Kind == NeuronKind.If ? V : Beta[j] * V;
                        pre = W is null ? decayed + input : decayed + input + r;
                    }
                    if (held) pre = V;
                    res.Membrane[e] = pre;
                    s = held ? 0 : Count(pre, th);
                    V = Reset switch { ResetMode.Subtract => pre - s * th, ResetMode.Zero when s > 0 => 0f, _ => pre };
                }
                if (Kind == NeuronKind.Alif) A = Gamma[j] * A + (1f - Gamma[j]) * s;
                res.Output[e] = s;
                res.Current[e] = I;
                v[k] = V;
                cur[k] = I;
                adapt[k] = A;
                refr[k] = held ? R - 1 : s > 0 ? Refractory : 0;
            }
            for (var k = 0; k < bn; k++) last[k] = res.Output[t * bn + k];
        }
        return res;
    }

    private static float[] Copy(float[]? values, int length) => values is null ? new float[length] : (float[])values.Clone();
}
