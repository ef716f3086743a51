namespace Snn.Timed;

/// <summary>
/// Rockpool's FFIAF (FFIAFBrian, FFIAFTorch) as a timed module: a <see cref="Neurons.FFIAF"/> population with
/// Rockpool's argument names and SI defaults, driven by a TSContinuous of input currents and producing a TSEvent of
/// spikes (events at bin middles). <c>evolve(ts_input, duration, num_timesteps, record)</c> returns (output, new
/// state, record) as every timed module does. The integrator is exact for currents constant over a step; pass
/// integrator "rk4" for Brian2's (and so Rockpool's) classic Runge-Kutta.
/// </summary>
public sealed class FFIAF : TimedModule
{
    /// <summary>Creates the module over weights [N_in, N] with a bias shared by every neuron (default 15 mA).</summary>
    public FFIAF(float[,] weights, double bias = 0.015, double dt = 1e-4, double noiseStd = 0, double refractory = 0,
        double tauMem = 0.02, double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, string? name = null,
        string integrator = "exact", ulong seed = 0, Device? device = null)
        : base(new Neurons.FFIAF(weights, bias, dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, name, integrator, seed, device),
            dt, name: name, ownsLayer: true)
    {
    }

    /// <summary>Creates the module with one bias per neuron ([N], amperes).</summary>
    public FFIAF(float[,] weights, float[] bias, double dt = 1e-4, double noiseStd = 0, double refractory = 0,
        double tauMem = 0.02, double vThresh = -0.055, double vReset = -0.065, double vRest = -0.065, string? name = null,
        string integrator = "exact", ulong seed = 0, Device? device = null)
        : base(new Neurons.FFIAF(weights, bias, dt, noiseStd, tauMem, vThresh, vReset, vRest, refractory, name, integrator, seed, device),
            dt, name: name, ownsLayer: true)
    {
    }

    /// <summary>The population being evolved.</summary>
    public Neurons.FFIAF Population => (Neurons.FFIAF)Layer!;
}
