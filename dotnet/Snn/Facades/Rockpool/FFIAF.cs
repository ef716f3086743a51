// Rockpool's FFIAF (nn.layers.FFIAFBrian) under its own names, argument order and defaults: a timed module over the
// core population of current-driven IAF neurons (Snn.Neurons.CurrentIafModel), which holds every equation.
using System.Globalization;
using Snn.Neurons;
using Snn.Timed;

namespace Snn.Rockpool;

/// <summary>
/// Rockpool's <c>FFIAFBrian</c>: a spiking feed-forward layer with current inputs (a TSContinuous) and spiking outputs
/// (a TSEvent, events at bin middles), in SI units. <c>mod(ts)</c> and <c>evolve(ts_input, duration, num_timesteps,
/// record)</c> return (output, new state, record). Defaults are Rockpool's: bias 15 mA (the value in Rockpool's code;
/// its docstring says 10 mA), dt 0.1 ms, tau_mem 20 ms, v_thresh -55 mV, v_reset and v_rest -65 mV, integrator
/// "rk4" (Brian2's classic Runge-Kutta); pass integrator_name "exact" for no integration error with currents held
/// over a step. Brian2 equation sets (<c>neuron_eq</c>) are not taken: the equations are the IAF set.
/// </summary>
public class FFIAFBrian : TimedModule
{
    /// <summary>Rockpool's <c>FFIAFBrian(weights, bias=15mA, dt=0.1ms, noise_std=0, tau_mem=20ms, v_thresh=-55mV,
    /// v_reset=-65mV, v_rest=-65mV, refractory=0, integrator_name='rk4', name='unnamed', record=False)</c>.
    /// <paramref name="bias"/> is one current for all neurons or one per neuron; <paramref name="tauMem"/>,
    /// <paramref name="vThresh"/>, <paramref name="vReset"/> and <paramref name="vRest"/> are one value or an [N] vector
    /// (values that differ make the population's constants per neuron).</summary>
    public FFIAFBrian(Array weights, object? bias = null, double dt = 1e-4, double noiseStd = 0, object? tauMem = null,
        object? vThresh = null, object? vReset = null, object? vRest = null, double refractory = 0,
        string integratorName = "rk4", string name = "unnamed", bool record = false, ulong seed = 0, Device? device = null)
        : base(Build(weights, bias, dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, integratorName, name, seed, device),
            dt, name: name, ownsLayer: true)
    {
        Record = record;
    }

    /// <summary>The population being evolved.</summary>
    public Population Population => (Population)Layer!;

    /// <summary>The population's model: weights, bias and constants.</summary>
    public CurrentIafModel Model => (CurrentIafModel)Population.Model;

    /// <summary>The integrator, "rk4" or "exact".</summary>
    public string IntegratorName => Model.IntegratorName;

    private static Population Build(Array matrix, object? bias, double dt, double noiseStd, object? tauMem, object? vThresh,
        object? vReset, object? vRest, double refractory, string integratorName, string name, ulong seed, Device? device)
    {
        var weights = Matrix(matrix);
        var n = weights.GetLength(1);
        var tau = PerNeuron(tauMem, 0.02, "tau_mem", n);
        var thresh = PerNeuron(vThresh, -0.055, "v_thresh", n);
        var reset = PerNeuron(vReset, -0.065, "v_reset", n);
        var rest = PerNeuron(vRest, -0.065, "v_rest", n);
        var currents = bias is Array a ? Floats(a, "bias") : Enumerable.Repeat((float)(bias is null ? 0.015 : Number(bias, "bias")), n).ToArray();
        // One value for all neurons keeps the scalar model; values that differ make the constants per neuron.
        var uniform = new[] { tau, thresh, reset, rest }.All(v => v.All(x => x.Equals(v[0])));
        var model = uniform
            ? new CurrentIafModel(weights, currents, dt, noiseStd, tau[0], thresh[0], reset[0], rest[0], refractory, integratorName, seed, device)
            : new CurrentIafModel(weights, currents, tau, thresh, reset, rest, dt, noiseStd, refractory, integratorName, seed, device);
        return new Population(model, name);
    }

    /// <summary>A value Rockpool takes as a number or an [N] vector, as one value per neuron [N].</summary>
    private static double[] PerNeuron(object? value, double fallback, string what, int n)
    {
        if (value is null) return Enumerable.Repeat(fallback, n).ToArray();
        if (value is not Array a) return Enumerable.Repeat(Number(value, what), n).ToArray();
        var values = ArrayData.Doubles(a, what);
        if (values.Length != n && values.Length != 1)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{what} has {values.Length} values for {n} neurons; pass one value or one per neuron.");
        return values.Length == n ? values : Enumerable.Repeat(values[0], n).ToArray();
    }

    /// <summary>Rockpool's weights arrive as any numeric [N_in, N] array (numpy float64 usually); the layer keeps float32.</summary>
    private static float[,] Matrix(Array weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights is float[,] ready) return ready;
        if (weights.Rank != 2)
            throw new SnnArgumentException(ErrorCode.InvalidArgument, $"weights must be a matrix [N_in, N], got rank {weights.Rank}.");
        var values = ArrayData.Doubles(weights, "weights");
        var result = new float[weights.GetLength(0), weights.GetLength(1)];
        for (var i = 0; i < values.Length; i++) result[i / result.GetLength(1), i % result.GetLength(1)] = (float)values[i];
        return result;
    }

    private static double Number(object value, string what) => value is IConvertible c and not string and not bool
        ? c.ToDouble(CultureInfo.InvariantCulture)
        : throw new SnnArgumentException(ErrorCode.InvalidArgument, $"{what} must be a number or an [N] vector, got {value.GetType().Name}.");

    private static float[] Floats(Array a, string what) => ArrayData.Doubles(a, what).Select(v => (float)v).ToArray();
}

/// <summary>Rockpool's FFIAF under its short name: <see cref="FFIAFBrian"/> with the same arguments and defaults.</summary>
public sealed class FFIAF : FFIAFBrian
{
    /// <inheritdoc cref="FFIAFBrian(Array, object?, double, double, object?, object?, object?, object?, double, string, string, bool, ulong, Device?)"/>
    public FFIAF(Array weights, object? bias = null, double dt = 1e-4, double noiseStd = 0, object? tauMem = null,
        object? vThresh = null, object? vReset = null, object? vRest = null, double refractory = 0,
        string integratorName = "rk4", string name = "unnamed", bool record = false, ulong seed = 0, Device? device = null)
        : base(weights, bias, dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, integratorName, name, record, seed, device) { }
}
