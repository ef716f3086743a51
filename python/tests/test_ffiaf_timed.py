"""Rockpool's FFIAF through the timed-module API (snn.rockpool.FFIAF): evolve a TSContinuous of input currents and
compare the output TSEvent with Brian2 (numpy target) running FFIAF's equations: the same spikes per neuron, each
within one time step (our events sit at bin middles); the clock advances, and two evolutions equal one."""
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import brian2 as b2

from snn.rockpool import FFIAF, TSContinuous, TSEvent

DT, N_IN, N = 1e-4, 3, 5
b2.prefs.codegen.target = "numpy"


def brian_spikes(weights, bias, currents, duration):
    """Brian2: dv/dt = (v_rest - v + R (I_in W + bias)) / tau, input held over each step, v > -55 mV -> -65 mV."""
    b2.start_scope()
    drive = b2.TimedArray((currents @ weights) * b2.amp, dt=DT * b2.second)
    g = b2.NeuronGroup(N, "dv/dt = (-65*mV - v + 1*ohm * (drive(t, i) + I_bias)) / (20*ms) : volt\nI_bias : amp",
                       threshold="v > -55*mV", reset="v = -65*mV", method="exact", dt=DT * b2.second)
    g.v = -65 * b2.mV
    g.I_bias = bias * b2.amp
    monitor = b2.SpikeMonitor(g)
    b2.run(duration * b2.second)
    return np.asarray(monitor.t_), np.asarray(monitor.i)


def test_evolve_matches_brian2_and_advances_the_clock():
    rng = np.random.default_rng(4)
    weights = rng.uniform(0, 4e-3, (N_IN, N)).astype(np.float32)
    bias = np.full(N, 0.012, np.float32)
    steps = 3000
    currents = np.repeat(rng.uniform(0, 2, (steps // 500, N_IN)), 500, axis=0).astype(np.float32)  # steps of current
    ts = TSContinuous(np.arange(steps) * DT, currents, t_stop=steps * DT)
    with FFIAF(weights, bias, dt=DT, integrator_name="exact") as module:
        first, _, _ = module.evolve(ts, duration=steps * DT / 2)
        assert abs(module.t - steps * DT / 2) < 1e-12
        second, state, _ = module.evolve(ts, duration=steps * DT / 2)
        assert isinstance(first, TSEvent) and "v" in state
    times = np.concatenate([np.asarray(first.times), np.asarray(second.times)])
    channels = np.concatenate([np.asarray(first.channels), np.asarray(second.channels)])
    b_times, b_channels = brian_spikes(weights.astype(np.float64), bias.astype(np.float64), currents.astype(np.float64), steps * DT)
    assert len(b_times) > 20
    for n in range(N):
        ours, theirs = np.sort(times[channels == n]), np.sort(b_times[b_channels == n])
        assert len(ours) == len(theirs), f"neuron {n}: {len(ours)} spikes, Brian2 {len(theirs)}"
        np.testing.assert_allclose(ours, theirs, atol=DT * 1.01)

    with FFIAF(weights, bias, dt=DT, integrator_name="exact") as whole:
        out, _, _ = whole.evolve(ts, duration=steps * DT)
        np.testing.assert_allclose(np.asarray(out.times), times, rtol=0, atol=1e-12)  # clock sums round differently
        np.testing.assert_array_equal(np.asarray(out.channels), channels)
