"""Rockpool's timed-module API (snn.timed.TimedModule) around a clock-driven layer, against numpy references
written from the definitions (docs/timeseries.md, semantics section 5): steps = floor(duration / dt), input sampled
on the grid t + i dt with sample-and-hold or rasterised in [t, t + dt) bins, the layer's equations run step by step
in float32, output events at bin middles, the clock advanced by evolve; state, parameters and records as
dictionaries; bad input rejected with typed exceptions."""

import numpy as np
import pytest

import snn
from snn.neurons import NeuronModel, Population
from snn.timed import TimedModule, TSContinuous, TSEvent

f32 = np.float32


def leaky_integrator(size, decay=0.9, gain=1.0, threshold=None, name=None):
    """The timed modules' small layer: a population of the neuron family configured as a leaky integrator
    (parameters "beta" for the decay and "input_scale" for the gain, state and record "membrane")."""
    return Population(NeuronModel.leaky_integrator(size, decay=decay, gain=gain, threshold=threshold), name=name)


def integrator_reference(x, decay, gain, threshold=None, v0=None):
    """v' = decay v + gain x; spikes s = H(v' - threshold) with v' -= s threshold. x [T, N] float32."""
    T, N = x.shape
    v = np.zeros(N, f32) if v0 is None else np.asarray(v0, f32).copy()
    decay, gain = np.broadcast_to(f32(decay), (N,)).astype(f32), np.broadcast_to(f32(gain), (N,)).astype(f32)
    out = np.zeros((T, N), f32)
    rec = np.zeros((T, N), f32)
    for t in range(T):
        u = decay * v + gain * x[t]
        rec[t] = u
        if threshold is None:
            out[t] = u
        else:
            s = (u > f32(threshold)).astype(f32)
            out[t] = s
            u = u - s * f32(threshold)
        v = u
    return out, rec, v


def sample_and_hold(times, samples, query):
    return samples[np.searchsorted(times, query, side="right") - 1]


def keys(d):
    return sorted(d.keys())


def test_evolve_clock_arithmetic():
    with leaky_integrator(3, decay=0.0) as layer:
        m = TimedModule(layer, 1e-3, name="rate")
        out, state, rec = m.evolve(duration=0.0105)       # floor(10.5) = 10 steps
        assert m.timestep == 10 and m.t == pytest.approx(0.01)
        assert isinstance(out, TSContinuous) and out.samples.shape == (10, 3)
        assert (out.t_start, out.t_stop) == (0.0, pytest.approx(0.01))
        np.testing.assert_allclose(out.times, np.arange(10) * 1e-3, rtol=0, atol=1e-15)
        assert len(rec.keys()) == 0
        out, _, _ = m.evolve(num_timesteps=5)
        assert m.timestep == 15 and out.t_start == pytest.approx(0.01) and out.t_stop == pytest.approx(0.015)
        # 0.3 / 0.1 is 2.9999999999999996: still three steps
        assert TimedModule(layer, 0.1).determine_timesteps(duration=0.3) == 3
        # without duration, evolve runs to the end of the input
        ts = TSContinuous(np.array([0.0]), np.zeros((1, 3)), t_stop=0.04)
        out, _, _ = m.evolve(ts)
        assert m.timestep == 40 and len(out) == 25
        m.reset_time()
        assert m.t == 0.0 and m.timestep == 0
        m.t = 0.0075
        assert m.timestep == 7


def test_continuous_input_is_sampled_with_sample_and_hold_on_the_step_grid():
    rng = np.random.default_rng(1)
    times = np.sort(rng.uniform(0.0, 0.05, 40))
    times[0] = 0.0
    samples = rng.normal(size=(40, 4))
    ts = TSContinuous(times, samples, t_stop=0.06)
    with leaky_integrator(4, decay=0.0, gain=1.0) as layer:          # a pass-through
        m = TimedModule(layer, 1e-3)
        out, _, _ = m.evolve(ts, duration=0.02)
        out2, _, _ = m.evolve(ts, num_timesteps=30)
    grid = np.arange(50) * 1e-3
    expected = sample_and_hold(times, samples, grid).astype(f32)
    np.testing.assert_array_equal(out.samples, expected[:20])
    np.testing.assert_array_equal(out2.samples, expected[20:])
    np.testing.assert_allclose(out2.times, grid[20:], rtol=0, atol=1e-15)


def test_rate_layer_matches_the_equations_across_evolutions():
    rng = np.random.default_rng(2)
    clocked = rng.normal(size=(80, 5)).astype(f32)
    ts = TSContinuous.from_clocked(clocked, 1e-3)
    with leaky_integrator(5, decay=0.8, gain=0.5) as layer:
        m = TimedModule(layer, 1e-3)
        a, s1, _ = m.evolve(ts, num_timesteps=30)
        b, s2, rec = m.evolve(ts, num_timesteps=50, record=True)
    out, r, v = integrator_reference(clocked, 0.8, 0.5)
    np.testing.assert_array_equal(np.concatenate([a.samples, b.samples]), out)
    np.testing.assert_array_equal(s2["membrane"], v)
    np.testing.assert_array_equal(rec["membrane"].samples, r[30:])
    np.testing.assert_allclose(rec["membrane"].times, np.arange(30, 80) * 1e-3, rtol=0, atol=1e-15)


def test_spiking_module_rasterises_events_and_emits_events_at_bin_middles():
    rng = np.random.default_rng(3)
    n_in, dt, steps = 6, 1e-3, 200
    times = np.sort(rng.uniform(0.0, steps * dt, 900))
    chans = rng.integers(0, n_in, times.size)
    ev = TSEvent(times, chans, t_start=0.0, t_stop=steps * dt, num_channels=n_in)
    edges = np.arange(steps + 1) * dt
    counts = np.stack([np.histogram(times[chans == c], bins=edges)[0] for c in range(n_in)], axis=1).astype(f32)
    for add_events in (True, False):
        with leaky_integrator(n_in, decay=0.9, gain=0.7, threshold=1.0) as layer:
            m = TimedModule(layer, dt, spiking_input=True, spiking_output=True, add_events=add_events, name="lif")
            out, state, _ = m.evolve(ev)
        x = counts if add_events else (counts > 0).astype(f32)
        spikes, _, v = integrator_reference(x, 0.9, 0.7, threshold=1.0)
        assert isinstance(out, TSEvent) and out.num_channels == n_in and out.name == "Output events 'lif'"
        rows, cols = np.nonzero(spikes)
        assert rows.size > 20
        np.testing.assert_allclose(out.times, rows * dt + dt / 2, rtol=0, atol=1e-15)
        np.testing.assert_array_equal(out.channels, cols)
        assert (out.t_start, out.t_stop) == (0.0, pytest.approx(steps * dt))
        np.testing.assert_array_equal(state["membrane"], v)
        np.testing.assert_array_equal(out.raster(dt, add_events=True), spikes.astype(int))


def test_state_parameters_and_resets():
    clocked = np.linspace(-1, 1, 40, dtype=f32).reshape(20, 2)
    ts = TSContinuous.from_clocked(clocked, 1e-3)
    with leaky_integrator(2, decay=0.5) as layer:
        m = TimedModule(layer, 1e-3, name="li")
        assert len(m.state().keys()) == 0                      # at rest before the first evolution
        _, s, _ = m.evolve(ts, num_timesteps=10)
        saved = s["membrane"].copy()
        tail1, _, _ = m.evolve(ts, num_timesteps=10)
        m.reset_state()
        assert len(m.state().keys()) == 0 and m.t == pytest.approx(0.02)
        m.t = 0.01
        m.set_attributes(s)                                  # restore the state after step 10
        np.testing.assert_array_equal(m.state()["membrane"], saved)
        tail2, _, _ = m.evolve(ts, num_timesteps=10)
        np.testing.assert_array_equal(tail2.samples, tail1.samples)
        # parameters: nested dictionaries, families, set and reset
        assert keys(m.parameters()) == ["beta", "input_scale"]
        assert keys(m.parameters("decays")) == ["beta"]
        assert len(m.parameters("weights").keys()) == 0
        m.set_attribute("beta", np.array([0.25, 0.75], f32))
        np.testing.assert_array_equal(m.parameters()["beta"], [0.25, 0.75])
        m.reset_parameters()
        np.testing.assert_array_equal(m.parameters()["beta"], [0.5, 0.5])
        assert m.simulation_parameters()["dt"] == 1e-3
        assert keys(m.attributes_named("dt")) == ["dt"]
        np.testing.assert_array_equal(m.attributes_named("beta")["beta"], [0.5, 0.5])
        m.set_attribute("dt", 2e-3)
        assert m.dt == 2e-3 and m.t == pytest.approx(0.04)
        m.reset_all()
        assert m.t == 0.0 and len(m.state().keys()) == 0
        assert len(m.modules().keys()) == 0


def test_module_properties():
    with leaky_integrator(4, threshold=1.0, name="pop") as layer:
        m = TimedModule(layer, 1e-4, spiking_input=True, spiking_output=True)
        assert (m.size_in, m.size_out) == (4, 4) and list(m.shape) == [4, 4]
        assert m.spiking_input and m.spiking_output
        assert m.input_type is TSEvent and m.output_type is TSEvent
        assert m.name == "pop" and m.full_name == "TimedModule 'pop'"
        c = TimedModule(layer, 1e-4)                     # by default, what the layer takes and gives
        assert c.input_type is TSContinuous and c.output_type is TSEvent
        c = TimedModule(layer, 1e-4, spiking_output=False)
        assert c.output_type is TSContinuous


def test_bad_input_is_rejected_with_advice():
    with leaky_integrator(3) as layer:
        m = TimedModule(layer, 1e-3)
        with pytest.raises(ValueError, match="takes TSContinuous input"):
            m.evolve(TSEvent([0.001], t_stop=0.01))
        with pytest.raises(snn.SnnArgumentException, match="3 input channels"):
            m.evolve(TSContinuous(np.array([0.0]), np.zeros((1, 2)), t_stop=0.01))
        with pytest.raises(ValueError, match="num_timesteps"):
            m.evolve(num_timesteps=-1)
        with pytest.raises(ValueError, match="ts_input, duration or num_timesteps"):
            m.evolve()
        m.evolve(num_timesteps=20)
        with pytest.raises(ValueError, match="ResetTime"):
            m.evolve(TSContinuous(np.array([0.0]), np.zeros((1, 3)), t_stop=0.01))
        with pytest.raises(ValueError, match="cannot sample"):
            m.evolve(TSContinuous(np.array([0.05]), np.zeros((1, 3)), t_stop=0.1), num_timesteps=5)
        with pytest.raises(ValueError, match="dt"):
            TimedModule(layer, 0.0)
        with pytest.raises(ValueError, match="elements"):
            m.set_attribute("beta", np.zeros(5, f32))
        with pytest.raises(ValueError, match="neither a parameter"):
            m.set_attribute("nope", np.zeros(3, f32))
        with pytest.raises(ValueError, match="batch"):
            m.set_attribute("membrane", np.zeros(4, f32))
        e = TimedModule(layer, 1e-3, spiking_input=True)
        with pytest.raises(ValueError, match="clip or remap"):
            e.evolve(TSEvent([0.001], [5], t_stop=0.01), num_timesteps=3)


def test_sequential_chains_modules_and_nests_dictionaries():
    from snn.timed import TimedSequential
    rng = np.random.default_rng(4)
    clocked = rng.uniform(0, 0.6, size=(60, 3)).astype(f32)
    ts = TSContinuous.from_clocked(clocked, 1e-3)
    with leaky_integrator(3, decay=0.5, gain=1.0) as l1, leaky_integrator(3, decay=0.9, threshold=1.0) as l2:
        rate = TimedModule(l1, 1e-3, name="rate")
        spk = TimedModule(l2, 1e-3, spiking_output=True, name="spk")
        seq = TimedSequential(rate, spk)
        assert keys(seq.modules()) == ["rate", "spk"]
        assert seq.spiking_output and not seq.spiking_input and list(seq.shape) == [3, 3]
        out, state, rec = seq.evolve(ts, num_timesteps=25, record=True)
        out2, state, rec2 = seq.evolve(ts)
        assert seq.t == pytest.approx(0.06) and rate.t == pytest.approx(0.06) and spk.t == pytest.approx(0.06)
        r, _, v1 = integrator_reference(clocked, 0.5, 1.0)
        s, vr, v2 = integrator_reference(r, 0.9, 1.0, threshold=1.0)
        rows, cols = np.nonzero(s)
        merged = out.merge(out2)
        np.testing.assert_allclose(merged.times, rows * 1e-3 + 5e-4, rtol=0, atol=1e-15)
        np.testing.assert_array_equal(merged.channels, cols)
        np.testing.assert_array_equal(state["rate"]["membrane"], v1)
        np.testing.assert_array_equal(state["spk"]["membrane"], v2)
        np.testing.assert_array_equal(rec["spk"]["membrane"].samples, vr[:25])
        assert keys(seq.parameters()) == ["rate", "spk"] and keys(seq.parameters()["spk"]) == ["beta", "input_scale"]
        assert keys(seq.attributes_named("dt")) == ["dt", "rate", "spk"]
        seq.reset_all()
        assert rate.t == 0 and len(seq.state().keys()) == 0
        seq.set_attribute("spk.beta", np.array([0.1, 0.2, 0.3], f32))
        np.testing.assert_array_equal(spk.parameters()["beta"], np.array([0.1, 0.2, 0.3], f32))
        # plain (nested) Python dicts, as Rockpool users write them
        seq.set_attributes({"rate": {"beta": np.array([0.2, 0.4, 0.6], f32)}, "spk": {"input_scale": [2.0, 2.0, 2.0]}})
        np.testing.assert_array_equal(rate.parameters()["beta"], np.array([0.2, 0.4, 0.6], f32))
        np.testing.assert_array_equal(spk.parameters()["input_scale"], [2.0, 2.0, 2.0])
        with pytest.raises(ValueError, match="sub-module"):
            seq.set_attributes({"rate": 1.0})
        with pytest.raises(ValueError, match="match the sizes"):
            TimedSequential(rate, TimedModule(leaky_integrator(2), 1e-3))
        with pytest.raises(ValueError, match="same dt"):
            TimedSequential(rate, TimedModule(l2, 2e-3))
