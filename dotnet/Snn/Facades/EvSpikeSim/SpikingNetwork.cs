[assembly: Snn.PythonModule("Snn.EvSpikeSim", "evspikesim")]

namespace Snn.EvSpikeSim;

/// <summary>
/// EvSpikeSim's <c>evspikesim.SpikingNetwork</c>: snn's event-driven network
/// (<see cref="Snn.EventDriven.SpikingNetwork"/>) under EvSpikeSim's name and default compile path.
/// Everything else (<c>add_fc_layer</c>, <c>add_fc_layer_from_source</c>, <c>infer</c>, indexing,
/// <c>output_layer</c>) is the core network's. The simulation is exact; <paramref name="compat"/> =
/// "evspikesim" computes in EvSpikeSim's float32 arithmetic, bit-identical to it (docs/event-driven.md).
/// </summary>
public sealed class SpikingNetwork(string compilePath = SpikingNetwork.EvSpikeSimCompilePath, Device? device = null, string? compat = null)
    : Snn.EventDriven.SpikingNetwork(compilePath, device, compat)
{
    /// <summary>EvSpikeSim's default compile path for callback sources.</summary>
    public const string EvSpikeSimCompilePath = "/tmp/evspikesim";
}

/// <summary>EvSpikeSim's <c>evspikesim.SpikeArray</c>: the core <see cref="Snn.EventDriven.SpikeArray"/>.</summary>
public sealed class SpikeArray : Snn.EventDriven.SpikeArray
{
    /// <summary>An empty array.</summary>
    public SpikeArray()
    {
    }

    /// <summary>Spikes (indices[k], times[k]) in the given order; call <c>Sort</c> before <c>Infer</c>.</summary>
    public SpikeArray(uint[] indices, float[] times) : base(indices, times)
    {
    }

    /// <summary>The given spikes in order.</summary>
    public SpikeArray(IEnumerable<Snn.EventDriven.Spike> spikes) : base(spikes)
    {
    }
}

#pragma warning disable CS8981 // lower case on purpose: EvSpikeSim's users write evspikesim.random.set_seed(seed)
/// <summary>EvSpikeSim's <c>evspikesim.random</c> module: the seed of the random initializers.</summary>
public static class random
#pragma warning restore CS8981
{
    /// <summary>Sets the seed of every random initializer (<see cref="Snn.EventDriven.Initializer.SetSeed"/>).</summary>
    public static void SetSeed(ulong seed) => Snn.EventDriven.Initializer.SetSeed(seed);

    /// <summary>The current seed.</summary>
    public static ulong GetSeed() => Snn.EventDriven.Initializer.Seed;
}
