"""A Rockpool user's script, written with nn.layers.FFIAFBrian's arguments (per-neuron vectors for tau_mem, v_thresh,
v_reset, v_rest; integrator_name; record=) and Rockpool's time series (TSContinuous, TSEvent, called as ts(t)),
modules called as mod(ts), with only the import changed (`from rockpool import ...` becomes `from snn.rockpool import
...`). Checked against the analytic firing period of the IAF equation, against the core API (a snn.neurons.Population of CurrentIafModel)
on the same configuration, and for Rockpool's documented defaults."""
import numpy as np
import pytest

import snn
from snn.neurons import CurrentIafModel, Population
from snn.rockpool import FFIAF, FFIAFBrian, TimedModule, TSContinuous, TSEvent

f32 = np.float32
DT, N_IN, N = 1e-4, 2, 3
TAU, V_TH, V_RESET, V_REST = 0.02, -0.055, -0.065, -0.065


def test_constant_drive_fires_at_the_analytic_period():
    weights = np.array([[1e-3, 2e-3, 4e-3], [1e-3, 1e-3, 1e-3]], f32)
    lyr = FFIAFBrian(weights.astype(np.float64), bias=0.0,  # Rockpool users pass float64 matrices dt=DT, tau_mem=np.full(N, TAU), v_thresh=np.full(N, V_TH),
                     v_reset=np.full(N, V_RESET), v_rest=np.full(N, V_REST), refractory=0.0,
                     integrator_name="exact", name="iaf", record=True)
    steps = 2000
    ts_in = TSContinuous(np.arange(steps) * DT, np.full((steps, N_IN), 8.0), t_stop=steps * DT)
    with lyr:
        ts_out, state, record = lyr(ts_in)
        assert isinstance(ts_out, TSEvent) and abs(lyr.t - steps * DT) < 1e-12
        assert set(record) == {"spikes", "v"} and isinstance(record["v"], TSContinuous)
        assert np.array(state["v"]).shape == (N,)
    drive = 8.0 * weights.astype(np.float64).sum(axis=0)  # R I with R = 1 ohm
    v_inf = V_REST + drive
    period = TAU * np.log((v_inf - V_RESET) / (v_inf - V_TH))  # time from reset to threshold
    per_period = np.floor(period / DT + 1e-9) + 1  # the step whose end first lies above threshold
    channels = np.asarray(ts_out.channels)
    for n in range(N):
        assert (channels == n).sum() == steps // per_period[n]
    times = np.asarray(ts_out.times)[channels == 2]
    np.testing.assert_allclose(times[:2], (np.arange(1, 3) * per_period[2] - 0.5) * DT, atol=1e-12)  # bin middles
    events, which = ts_out(0.0, float(times[1]))  # Rockpool's ts(t_start, t_stop): events in [t_start, t_stop)
    assert list(np.asarray(which)).count(2) == 1


def test_defaults_are_rockpools_and_the_module_is_the_core_layer():
    weights = np.random.default_rng(21).uniform(0, 3e-3, (N_IN, N)).astype(f32)
    with FFIAFBrian(weights) as lyr:
        assert (lyr.integrator_name, lyr.dt, lyr.name, lyr.record) == ("rk4", 1e-4, "unnamed", False)
        assert isinstance(lyr, TimedModule) and lyr.spiking_output and not lyr.spiking_input
        np.testing.assert_array_equal(np.array(lyr.model.bias), np.full(N, 0.015, f32))  # Rockpool's 15 mA
        assert (lyr.model.tau_mem, lyr.model.v_thresh, lyr.model.v_reset, lyr.model.v_rest) == \
            (0.02, -0.055, -0.065, -0.065)
    steps = 600
    currents = np.repeat(np.random.default_rng(22).uniform(0, 2, (6, N_IN)), 100, axis=0)
    ts_in = TSContinuous(np.arange(steps) * DT, currents, t_stop=steps * DT)
    with FFIAF(weights, bias=0.012, noise_std=1e-3, seed=4) as lyr, \
            Population(CurrentIafModel(weights, 0.012, noise_std=1e-3, integrator="rk4", seed=4)) as core:
        ts_out, _, _ = lyr(ts_in)
        with core.forward(currents.astype(f32).reshape(steps, 1, N_IN)) as out:
            raster = np.array(out.values)[:, 0, :]
    steps_hit, neurons = np.nonzero(raster)
    assert len(steps_hit) > 5
    np.testing.assert_allclose(np.asarray(ts_out.times), (steps_hit + 0.5) * DT, atol=1e-12)
    np.testing.assert_array_equal(np.asarray(ts_out.channels), neurons)


def test_time_series_are_callable_and_vectors_must_agree():
    ts = TSContinuous([0.0, 1.0, 2.0], np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]))
    np.testing.assert_array_equal(np.asarray(ts(1.5)), [[2.0, 20.0]])  # Rockpool's "previous" interpolation
    np.testing.assert_array_equal(np.asarray(ts(np.array([0.0, 2.0]))), [[1.0, 10.0], [3.0, 30.0]])
    with pytest.raises(snn.SnnArgumentException, match="v_thresh has 2 values for 3 neurons"):
        FFIAFBrian(np.ones((N_IN, N), f32), v_thresh=np.array([-0.055, -0.05]))
    with pytest.raises(snn.SnnArgumentException, match=r"v_thresh\[1\] \(-0.07 V\) must be > v_reset\[1\]"):
        FFIAFBrian(np.ones((N_IN, N), f32), v_thresh=np.array([-0.055, -0.07, -0.055]))
    with pytest.raises(snn.SnnArgumentException, match="integrator \"euler\" is unknown"):
        FFIAFBrian(np.ones((N_IN, N), f32), integrator_name="euler")


def test_per_neuron_vectors_that_differ_run_per_neuron():
    """A Rockpool user's vectors with a value per neuron: the facade's spikes are the core population's with the
    same per-neuron constants (checked against Brian2 in test_ffiaf.py), and each neuron fires as it would alone."""
    weights = np.array([[4e-3, 3e-3, 5e-3], [2e-3, 4e-3, 1e-3]])
    tau, thresh = np.array([0.01, 0.02, 0.03]), np.array([-0.055, -0.05, -0.058])
    reset, rest = np.array([-0.065, -0.07, -0.06]), np.array([-0.065, -0.06, -0.07])
    steps = 1500
    currents = np.full((steps, N_IN), 3.0)
    ts_in = TSContinuous(np.arange(steps) * DT, currents, t_stop=steps * DT)
    with FFIAFBrian(weights, bias=0.01, tau_mem=tau, v_thresh=thresh, v_reset=reset, v_rest=rest,
                    integrator_name="exact") as lyr:
        assert lyr.model.per_neuron
        np.testing.assert_array_equal(lyr.parameters("taus")["tau_mem"], tau)        # float64, unrounded
        lyr.set_attribute("tau_mem", np.array([0.011, 0.021, 0.031]))
        np.testing.assert_array_equal(lyr.parameters()["tau_mem"], [0.011, 0.021, 0.031])
        lyr.reset_parameters()
        np.testing.assert_array_equal(lyr.parameters()["tau_mem"], tau)
        assert sorted(lyr.parameters("thresholds").keys()) == ["v_thresh"]
        ts_out, _, _ = lyr(ts_in)
    channels = np.asarray(ts_out.channels)
    for n in range(N):
        with Population(CurrentIafModel(weights[:, n:n + 1].astype(f32), 0.01, tau_mem=float(tau[n]),
                                        v_thresh=float(thresh[n]), v_reset=float(reset[n]), v_rest=float(rest[n]))) as one:
            with one.forward(currents.astype(f32).reshape(steps, 1, N_IN)) as out:
                alone = np.flatnonzero(np.array(out.values)[:, 0, 0])
        assert len(alone) > 3
        np.testing.assert_allclose(np.asarray(ts_out.times)[channels == n], (alone + 0.5) * DT, rtol=0, atol=1e-12)
