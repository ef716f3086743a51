using Snn.Interop;
using Snn.Native;

namespace Snn.Connections;

/// <summary>
/// A dense projection y = x W^T + b over any leading axes, as a function rather than a <see cref="Networks.Layer"/>
/// (the fully connected layer of networks is <see cref="Linear"/>): on the CPU a sparse accumulation of the
/// weights of non-zero inputs when the input is mostly zeros (spikes), else one matrix multiply (OpenBLAS; cuBLAS on CUDA). Weights start uniform in ±1/sqrt(in_features), as in PyTorch.
/// </summary>
public sealed unsafe class Dense : IDisposable
{
    /// <summary>Creates the layer on <paramref name="device"/> (the default CPU when null), initialised from <paramref name="seed"/>.</summary>
    public Dense(int inFeatures, int outFeatures, bool bias = true, Device? device = null, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Device = device ?? Device.Default;
        var bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = Tensor.Zeros([outFeatures, inFeatures], DType.Float32, Device);
        try
        {
            Initializers.Uniform(Weight, -bound, bound, seed, offset: 0);
            if (bias)
            {
                Bias = Tensor.Zeros([outFeatures], DType.Float32, Device);
                Initializers.Uniform(Bias, -bound, bound, seed, offset: 1);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Inputs per sample.</summary>
    public int InFeatures { get; }

    /// <summary>Outputs per sample.</summary>
    public int OutFeatures { get; }

    /// <summary>The device holding the parameters.</summary>
    public Device Device { get; }

    /// <summary>Weights [out_features, in_features], owned by the layer: write with <see cref="Tensor.CopyFrom(Array)"/>.</summary>
    public Tensor Weight { get; }

    /// <summary>Bias [out_features] owned by the layer, or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>Projects input [..., in_features] to a new tensor [..., out_features].</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length == 0)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, "Dense.Forward needs an input of rank >= 1 whose last axis is in_features.");
        shape[^1] = OutFeatures;
        var output = input.NewLike(shape);
        try
        {
            Forward(input, output);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Writes the projection of input [..., in_features] into an existing output [..., out_features].</summary>
    public void Forward(Tensor input, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        NativeCall.Check(Methods.snn_linear_forward(input.Pointer, Weight.Pointer, Bias is null ? null : Bias.Pointer, output.Pointer));
        GC.KeepAlive(input);
        GC.KeepAlive(output);
        GC.KeepAlive(this);
    }

    /// <summary>Releases the parameters.</summary>
    public void Dispose()
    {
        Weight?.Dispose();
        Bias?.Dispose();
    }
}
