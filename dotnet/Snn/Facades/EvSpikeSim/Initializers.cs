namespace Snn.EvSpikeSim.Initializers;

/// <summary>EvSpikeSim's <c>evspikesim.initializers.ConstantInitializer(value=0)</c>.</summary>
public sealed class ConstantInitializer(float value = 0f) : Snn.EventDriven.ConstantInitializer(value);

/// <summary>EvSpikeSim's <c>evspikesim.initializers.UniformInitializer(lower_bound=-1, upper_bound=1)</c>.</summary>
public sealed class UniformInitializer(float lowerBound = -1f, float upperBound = 1f)
    : Snn.EventDriven.UniformInitializer(lowerBound, upperBound);

/// <summary>EvSpikeSim's <c>evspikesim.initializers.NormalInitializer(mean=0, stddev=1)</c>.</summary>
public sealed class NormalInitializer(float mean = 0f, float stddev = 1f) : Snn.EventDriven.NormalInitializer(mean, stddev);
