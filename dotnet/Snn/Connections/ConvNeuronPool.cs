using Snn.Interop;
using Snn.Native;
using Snn.Networks;
using Snn.Neurons;

namespace Snn.Connections;

/// <summary>
/// A <see cref="Conv2d"/>, the IF/LIF <see cref="Population"/> after it and the <see cref="MaxPool2d"/> after that
/// (when there is one) run as one native call (<c>snn_conv2d_neuron_pool_forward</c>) by <see cref="Sequential"/>: the
/// same bits as the three layers one after the other, without writing the currents and unpooled spikes to memory and
/// with one hand-over to the worker threads instead of three (docs/benchmarks.md, conv SNN). Only chains whose
/// result cannot differ are fused: CPU, no delay, no batch-size pin, nothing recorded, plain IF/LIF neurons.
/// </summary>
internal static unsafe class ConvNeuronPool
{
    /// <summary>How many layers from <paramref name="first"/> on one fused call covers for a batch of
    /// <paramref name="batch"/> samples: 3 (convolution, neurons, pooling), 2 (convolution, neurons) or 0 (none: run
    /// the layers one by one).</summary>
    internal static int Span(IReadOnlyList<Layer> layers, int first, long batch)
    {
        if (first + 1 >= layers.Count || layers[first] is not Conv2d conv || layers[first + 1] is not Population population)
            return 0;
        // Fewer samples than threads: the layers one by one spread every frame over the threads, which measured
        // faster than the fused call's split of a sample's channels (B = 1, docs/benchmarks.md).
        if (batch < conv.Device.NumThreads) return 0;
        if (conv.GetType() != typeof(Conv2d) || population.GetType() != typeof(Population)) return 0; // subclasses may add behaviour
        if (conv.Device.Kind != DeviceKind.Cpu || conv.DelaySteps != 0 || conv.BatchSize is not null) return 0;
        if (!Quiet(conv) || !Quiet(population) || population.Model is not NeuronModel model || !Plain(model)) return 0;
        return first + 2 < layers.Count && layers[first + 2] is MaxPool2d pool && Poolable(pool) ? 3 : 2;
    }

    /// <summary>Runs the <paramref name="count"/> layers (see <see cref="Span"/>) from <paramref name="first"/> on
    /// <paramref name="input"/>, carrying the population's membrane as its own call would.</summary>
    internal static Signal Forward(IReadOnlyList<Layer> layers, int first, int count, Signal input)
    {
        var conv = (Conv2d)layers[first];
        var population = (Population)layers[first + 1];
        var model = (NeuronModel)population.Model;
        var pool = count == 3 ? ((MaxPool2d)layers[first + 2]).KernelSize.Height : 1;
        var x = input.Values;
        var (steps, batch) = (x.Shape[0], x.Shape[1]);
        var shape = conv.OutputShape; // [C_out, H_out, W_out]
        var state = population.State.TryGetValue("membrane", out var kept) ? kept : null;
        if (state is not null && state.Shape[0] != batch)
        {
            population.ResetState(); // a call with another batch size starts from rest, as Population.Forward does
            state = null;
        }
        using var fresh = state is null ? Tensor.Zeros([batch, model.Size], DType.Float32, conv.Device) : null;
        var membrane = state ?? fresh!;
        var output = x.NewOutputLike([steps, batch, shape[0], shape[1] / pool, shape[2] / pool]);
        try
        {
            var parameters = model.Parameters();
            long[] stride = [conv.Stride.Height, conv.Stride.Width];
            long[] padding = [conv.Padding.Height, conv.Padding.Width];
            long[] dilation = [conv.Dilation.Height, conv.Dilation.Width];
            fixed (long* s = stride, p = padding, d = dilation)
                NativeCall.Check(Methods.snn_conv2d_neuron_pool_forward(x.Pointer, conv.Weight.Pointer,
                    conv.Bias is null ? null : conv.Bias.Pointer, s, p, d, conv.Groups, &parameters, membrane.Pointer, pool,
                    output.Pointer));
            GC.KeepAlive(x);
            GC.KeepAlive(conv);
            GC.KeepAlive(membrane);
            if (fresh is not null) population.SetState("membrane", fresh);
            return new Signal(output);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    // Nothing recorded now or left from an earlier call: a fused layer's own Forward never runs, so it cannot record.
    private static bool Quiet(Layer layer) => layer.Recording.Count == 0 && layer.Recorded.Count == 0;

    private static bool Plain(NeuronModel m) =>
        m.Kind is NeuronKind.If or NeuronKind.Lif && m.RefractorySteps == 0 && m.MaxSpikesPerStep <= 1 &&
        m.RecurrentWeight is null && m.BetaPerNeuron is null && m.AlphaPerNeuron is null && m.GammaPerNeuron is null;

    private static bool Poolable(MaxPool2d pool) =>
        pool.GetType() == typeof(MaxPool2d) && pool.Recording.Count == 0 && pool.Recorded.Count == 0 &&
        pool.KernelSize.Height == pool.KernelSize.Width && pool.Stride == pool.KernelSize && pool.Padding == (0, 0) &&
        pool.Dilation == (1, 1) && !pool.CeilMode;
}
