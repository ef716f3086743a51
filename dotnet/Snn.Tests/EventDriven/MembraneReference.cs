namespace Snn.Tests.EventDriven;

/// <summary>
/// The event-driven model's membrane, written from its defining formula (docs/event-driven.md), never
/// from snn's sources: with tau = 2 tau_s,
///   u_i(t) = sum_j w_ij sum_{t_j &lt; t} (exp(-(t - t_j) / tau) - exp(-(t - t_j) / tau_s))
///            - theta * sum_{t_i &lt; t} exp(-(t - t_i) / tau),
/// in double precision, and a fine time-step simulation of it.
/// </summary>
internal static class MembraneReference
{
    /// <summary>u of <paramref name="neuron"/> at <paramref name="t"/> given its inputs and its own earlier spikes.</summary>
    public static double Membrane(float[,] w, int neuron, double tauS, double theta, uint[] indices, float[] times,
        IEnumerable<double> ownSpikes, double t)
    {
        var tau = 2 * tauS;
        double u = 0;
        for (var k = 0; k < times.Length && times[k] < t; k++)
            u += w[neuron, indices[k]] * (Math.Exp(-(t - times[k]) / tau) - Math.Exp(-(t - times[k]) / tauS));
        foreach (var s in ownSpikes)
            if (s < t) u -= theta * Math.Exp(-(t - s) / tau);
        return u;
    }

    /// <summary>
    /// Steps the three exponential traces of the formula (the inputs' tau and tau_s sums and the resets'
    /// sum) on a grid of step <paramref name="dt"/> up to <paramref name="end"/>, exactly decayed between
    /// grid points. A spike is recorded where u passes theta between two grid points, at the linearly
    /// interpolated crossing, and its reset enters the sum from that time on.
    /// </summary>
    public static List<(uint Index, double Time)> Simulate(float[,] w, double tauS, double theta, uint[] indices,
        float[] times, double dt, double end)
    {
        var tau = 2 * tauS;
        var neurons = w.GetLength(0);
        var slow = new double[neurons];   // sum w exp(-(t - t_j) / tau)
        var fast = new double[neurons];   // sum w exp(-(t - t_j) / tau_s)
        var resets = new double[neurons]; // sum exp(-(t - t_i) / tau) over own spikes
        var previous = new double[neurons];
        var spikes = new List<(uint, double)>();
        double decaySlow = Math.Exp(-dt / tau), decayFast = Math.Exp(-dt / tauS);
        var next = 0;
        var steps = (long)Math.Ceiling(end / dt);
        for (long k = 1; k <= steps; k++)
        {
            var t = k * dt;
            for (var i = 0; i < neurons; i++)
            {
                slow[i] *= decaySlow;
                fast[i] *= decayFast;
                resets[i] *= decaySlow;
            }
            for (; next < times.Length && times[next] < t; next++)
            {
                var age = t - times[next];
                for (var i = 0; i < neurons; i++)
                {
                    slow[i] += w[i, indices[next]] * Math.Exp(-age / tau);
                    fast[i] += w[i, indices[next]] * Math.Exp(-age / tauS);
                }
            }
            for (var i = 0; i < neurons; i++)
            {
                var u = slow[i] - fast[i] - theta * resets[i];
                if (u >= theta && previous[i] < theta)
                {
                    var crossing = t - dt * (u - theta) / (u - previous[i]);
                    spikes.Add(((uint)i, crossing));
                    resets[i] += Math.Exp(-(t - crossing) / tau);
                    u = slow[i] - fast[i] - theta * resets[i];
                }
                previous[i] = u;
            }
        }
        spikes.Sort((x, y) => x.Item2.CompareTo(y.Item2));
        return spikes;
    }
}
