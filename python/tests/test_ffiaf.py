"""A population of current-driven IAF neurons (snn.neurons.CurrentIafModel, what Rockpool's FFIAF computes) from Python against Brian2 run the way Rockpool's FFIAFBrian runs it
(numpy code generation, rk4, step-constant input currents through a TimedArray, refractory counted by Brian2):
constant bias, step currents and spike input through weights, with and without refractory period; the analytic
firing period; exact vs rk4; noise statistics against the formula and against Brian2; seeds and streaming;
C#/Python parity (with dotnet/Snn.Tests/Neurons/FfiafTests.cs); bad arguments."""
import math
import warnings

import numpy as np
import pytest

from parity import float32_arrays, write_and_compare
import snn
from snn.neurons import CurrentIafModel, Population

warnings.filterwarnings("ignore", category=FutureWarning)
import brian2 as b2  # noqa: E402

b2.prefs.codegen.target = "numpy"
b2.BrianLogger.log_level_error()

f32 = np.float32
DT, TAU, V_THRESH, V_RESET, V_REST = 1e-4, 20e-3, -55e-3, -65e-3, -65e-3

# Rockpool's equation set for FFIAFBrian (eqNeuronIAFFF), in Brian2's syntax.
EQUATIONS = """
dv/dt = (v_rest - v + r_m * I_total) / tau_m : volt (unless refractory)
I_total = I_inp(t, i) + I_bias : amp
I_bias : amp
v_rest : volt
tau_m : second
r_m : ohm
v_thresh : volt
v_reset : volt
"""


def brian(projected, bias, *, refractory=0.0, method="rk4", noise=None, step_constant=False, per_neuron=None):
    """Brian2 as Rockpool's FFIAFBrian drives it: projected [T, N] = input @ weights (amperes) plus optional noise
    currents in a TimedArray, bias [N] as I_bias. Returns (spike raster [T, N], v [T, N] with v[t] the membrane at
    time (t + 1) dt, i.e. after step t, the time our recording refers to).

    Rockpool evaluates the TimedArray inside the equation, so Brian2's rk4 reads it at t, t + dt/2 and t + dt: its
    last stage sees the NEXT step's current, which moves v by (dt / tau) / 6 * R * (I[t+1] - I[t]) at every change
    of input. step_constant=True latches the step's current into a variable at the start of each step instead
    (run_regularly), so the current is constant over the step as in snn_iaf_forward. per_neuron: a dict of [N] arrays
    for "tau_mem", "v_thresh", "v_reset", "v_rest" (seconds, volts) replacing the scalars, as Rockpool's vectors do."""
    b2.start_scope()
    T, N = projected.shape
    equations = EQUATIONS
    if step_constant:
        equations = EQUATIONS.replace("I_inp(t, i) + I_bias", "I_step + I_bias") + "I_step : amp\n"
    g = b2.NeuronGroup(N, equations, threshold="v > v_thresh", reset="v = v_reset",
                       refractory=refractory * b2.second, method=method, dt=DT * b2.second)
    if step_constant:
        g.run_regularly("I_step = I_inp(t, i)", when="start")
    k = {"tau_mem": TAU, "v_thresh": V_THRESH, "v_reset": V_RESET, "v_rest": V_REST, **(per_neuron or {})}
    g.v = np.broadcast_to(k["v_rest"], (N,)) * b2.volt
    g.v_rest = np.broadcast_to(k["v_rest"], (N,)) * b2.volt
    g.tau_m = np.broadcast_to(k["tau_mem"], (N,)) * b2.second
    g.r_m = 1 * b2.ohm
    g.v_thresh = np.broadcast_to(k["v_thresh"], (N,)) * b2.volt
    g.v_reset = np.broadcast_to(k["v_reset"], (N,)) * b2.volt
    g.I_bias = np.asarray(bias, dtype=np.float64) * b2.amp
    drive = np.asarray(projected, dtype=np.float64) + (0 if noise is None else noise)
    I_inp = b2.TimedArray(drive * b2.amp, dt=DT * b2.second)
    spikes = b2.SpikeMonitor(g)
    # StateMonitor samples at the start of each step: sample k is v at time k dt. Run one extra step to get v
    # after the last input step (that step reads the clipped TimedArray, which is the last sample again).
    v = b2.StateMonitor(g, "v", record=True)
    b2.run((T + 1) * DT * b2.second, namespace={"I_inp": I_inp})
    raster = np.zeros((T + 1, N))
    raster[np.round(np.asarray(spikes.t_) / DT).astype(int), np.asarray(spikes.i)] = 1
    return raster[:T], np.asarray(v.v_).T[1:T + 1]


def ours(x, weights, bias, *, record=True, **kwargs):
    """Runs FFIAF on x [T, B, N_in]; returns (spikes, v) as numpy [T, B, N]."""
    with Population(CurrentIafModel(np.ascontiguousarray(weights, dtype=f32), bias, **kwargs)) as layer:
        if record:
            layer.record("spikes", "v")
        with layer.forward(np.ascontiguousarray(x, dtype=f32)) as out:
            s = np.asarray(out.values)
            v = np.asarray(layer.recorded["v"]) if record else None
        if record:
            assert np.array_equal(np.asarray(layer.recorded["spikes"]), s)
    return s, v


def compare_spike_times(ours_raster, brian_raster, *, max_shift=1):
    """Per neuron the same number of spikes, each at most max_shift steps from Brian2's; returns the largest shift."""
    worst = 0
    for n in range(ours_raster.shape[1]):
        a, b = np.flatnonzero(ours_raster[:, n]), np.flatnonzero(brian_raster[:, n])
        assert len(a) == len(b), f"neuron {n}: {len(a)} spikes here, {len(b)} in Brian2 ({a[:10]} vs {b[:10]})"
        if len(a):
            shift = int(np.abs(a - b).max())
            assert shift <= max_shift, f"neuron {n}: spike steps {a} vs Brian2 {b}"
            worst = max(worst, shift)
    return worst


def trace_difference(v_ours, v_brian, raster_ours, raster_brian):
    """Largest |v - v_brian| over steps where both have the same spikes so far (a spike one step apart makes the
    traces differ by a reset for that step, which compare_spike_times already bounds)."""
    same = np.cumsum(np.abs(raster_ours - raster_brian), axis=0) == 0
    return float(np.abs(v_ours - v_brian)[same].max())


# Membrane tolerance: float32 state rounding (below 2^-28 / (dt / tau) = 7.5e-7 V, see native/tests/iaf_test.cpp)
# and float32 currents (relative 6e-8 of the drive).
FLOAT_TOL = 1e-6


@pytest.mark.parametrize("integrator", ["exact", "rk4"])
@pytest.mark.parametrize("refractory", [0.0, 2e-3])
def test_constant_bias_matches_brian2(integrator, refractory):
    T, N = 3000, 6
    bias = np.array([0.0, 5e-3, 10.2e-3, 12e-3, 15e-3, 40e-3])  # below, near and above rheobase (10 mA)
    weights = np.zeros((1, N))
    s, v = ours(np.zeros((T, 1, 1)), weights, bias.astype(f32), refractory=refractory, integrator=integrator)
    rb, vb = brian(np.zeros((T, N)), bias.astype(f32), refractory=refractory)
    assert s[:, 0].sum() > 30
    assert compare_spike_times(s[:, 0], rb, max_shift=0) == 0
    assert trace_difference(v[:, 0], vb, s[:, 0], rb) < FLOAT_TOL


@pytest.mark.parametrize("integrator", ["exact", "rk4"])
def test_per_neuron_constants_match_brian2(integrator):
    """Rockpool's per-neuron vectors: every neuron its own tau_mem, v_thresh, v_reset and v_rest (all different),
    under a staircase of input currents, against Brian2 given the same vectors."""
    T, N = 3000, 6
    k = dict(tau_mem=np.array([10e-3, 15e-3, 20e-3, 25e-3, 30e-3, 40e-3]),
             v_thresh=np.array([-55e-3, -50e-3, -52e-3, -58e-3, -45e-3, -54e-3]),
             v_reset=np.array([-65e-3, -70e-3, -60e-3, -68e-3, -62e-3, -75e-3]),
             v_rest=np.array([-65e-3, -60e-3, -70e-3, -66e-3, -58e-3, -72e-3]))
    x = np.zeros((T, 1, 1))
    x[:, 0, 0] = 4e-3 * (np.arange(T) // 500)
    weights = np.array([[1.0, 0.8, 1.2, 0.6, 1.5, 1.0]])
    bias = np.array([8e-3, 10e-3, 12e-3, 11e-3, 9e-3, 20e-3], dtype=f32)
    with Population(CurrentIafModel(weights.astype(f32), bias, k["tau_mem"], k["v_thresh"], k["v_reset"], k["v_rest"],
                                    refractory=2e-3, integrator=integrator)) as layer:
        assert layer.model.per_neuron and sorted(layer.parameters.keys()) == \
            ["bias", "tau_mem", "v_reset", "v_rest", "v_thresh", "weights"]
        np.testing.assert_array_equal(np.asarray(layer.parameters["tau_mem"]), k["tau_mem"])
        layer.record("v")
        with layer.forward(x.astype(f32)) as out:
            s, v = np.asarray(out.values)[:, 0], np.asarray(layer.recorded["v"])[:, 0]
    projected = x[:, 0].astype(f32).astype(np.float64) @ weights.astype(f32).astype(np.float64)
    rb, vb = brian(projected, bias, refractory=2e-3, step_constant=True, per_neuron=k)
    assert (s.sum(axis=0) > 5).all()                       # every neuron fires, each with its own constants
    assert compare_spike_times(s, rb, max_shift=0) == 0
    assert trace_difference(v, vb, s, rb) < FLOAT_TOL
    # The same neurons one at a time with scalar constants give the same bits.
    for n in range(N):
        one = {name: float(values[n]) for name, values in k.items()}
        sn, vn = ours(x, weights[:, n:n + 1], bias[n:n + 1], refractory=2e-3, integrator=integrator, **one)
        assert np.array_equal(sn[:, 0, 0], s[:, n]) and np.array_equal(vn[:, 0, 0], v[:, n])


def test_per_neuron_constants_are_checked_per_neuron():
    w = np.ones((1, 3), f32)
    tau, thresh, reset, rest = (np.array(a) for a in ([0.02, 0.02, 0.02], [-0.055, -0.055, -0.07],
                                                       [-0.065, -0.065, -0.065], [-0.065, -0.065, -0.065]))
    with pytest.raises(snn.SnnArgumentException, match=r"v_thresh\[2\] \(-0.07 V\) must be > v_reset\[2\]"):
        CurrentIafModel(w, np.zeros(3, f32), tau, thresh, reset, rest)
    with pytest.raises(snn.SnnArgumentException, match=r"tau_mem\[1\] must be finite and > 0"):
        CurrentIafModel(w, np.zeros(3, f32), np.array([0.02, 0.0, 0.02]), thresh[:1].repeat(3), reset, rest)
    with pytest.raises(snn.SnnArgumentException, match="tau_mem has 2 values for 3 neurons"):
        CurrentIafModel(w, np.zeros(3, f32), tau[:2], thresh, reset, rest)


@pytest.mark.parametrize("refractory", [0.0, 3e-3])
def test_step_current_matches_brian2(refractory):
    T = 4000
    t = np.arange(T)
    # Two input channels: a 30 mA pulse train (on 40 ms / off 60 ms) and a staircase of 2 mA steps every 25 ms.
    x = np.zeros((T, 1, 2))
    x[:, 0, 0] = np.where((t // 400) % 10 < 4, 0.03, 0.0) * ((t // 400) % 2 == 0)
    x[:, 0, 1] = 2e-3 * (t // 250)
    weights = np.array([[1.0, 0.5, 0.0, 0.8], [0.0, 1.0, 1.0, 0.4]])
    bias = np.array([2e-3, 0.0, -5e-3, 1e-3], dtype=f32)
    s, v = ours(x, weights, bias, refractory=refractory, integrator="rk4")
    projected = x[:, 0].astype(f32).astype(np.float64) @ weights.astype(f32).astype(np.float64)
    rb, vb = brian(projected, bias, refractory=refractory, step_constant=True)
    assert s.sum() > 30
    assert compare_spike_times(s[:, 0], rb, max_shift=0) == 0
    assert trace_difference(v[:, 0], vb, s[:, 0], rb) < FLOAT_TOL
    # Rockpool's own set-up (TimedArray read inside rk4) sees each jump 1/6 step early: v differs by
    # (dt / tau) / 6 * R * |jump| right after a jump (30 mA: 2.5e-5 V), and a crossing can move by a step.
    rr, vr = brian(projected, bias, refractory=refractory)
    first = min(np.flatnonzero(np.abs(rr - rb).sum(axis=1))[:1].tolist() + [len(rr)])
    jumps = np.abs(np.diff(projected, axis=0, prepend=projected[:1])).max()
    assert 0 < np.abs(vr - vb)[:first].max() <= DT / TAU / 6 * jumps * 1.01 + FLOAT_TOL


@pytest.mark.parametrize("refractory", [0.0, 1e-3])
def test_spike_input_through_weights_matches_brian2(refractory):
    T, n_in, N = 3000, 20, 8
    rng = np.random.default_rng(3)
    x = (rng.random((T, 1, n_in)) < 0.02).astype(np.float64)  # 200 Hz input spikes, one step each
    weights = rng.uniform(0.0, 0.4, (n_in, N)).astype(f32)
    bias = np.full(N, 8e-3, dtype=f32)
    s, v = ours(x, weights, bias, refractory=refractory, integrator="rk4")
    rb, vb = brian(x[:, 0] @ weights.astype(np.float64), bias, refractory=refractory, step_constant=True)
    assert s.sum() > 100
    compare_spike_times(s[:, 0], rb)
    assert trace_difference(v[:, 0], vb, s[:, 0], rb) < FLOAT_TOL


@pytest.mark.parametrize("refractory", [0.0, 1e-4, 2.5e-3])
def test_analytic_firing_period(refractory):
    """Constant suprathreshold current from v_reset: period P = tau ln((RI + v_rest - v_reset) /
    (RI + v_rest - v_thresh)) + refractory, up to step rounding: spikes every ceil(P0 / dt) + k - 1 steps
    (P0 without refractory, k = round(refractory / dt), Brian2's count), within one step of (P0 + refractory) / dt."""
    T = 10000
    currents = np.array([10.5e-3, 15e-3, 20e-3, 50e-3], dtype=f32)
    s, _ = ours(np.zeros((T, 1, 1)), np.zeros((1, 4)), currents, refractory=refractory, record=False)
    k = int(math.floor(refractory / DT + 1e-3))
    for n, i in enumerate(currents.astype(np.float64)):
        p0 = TAU * math.log((i + V_REST - V_RESET) / (i + V_REST - V_THRESH))
        steps = np.flatnonzero(s[:, 0, n])
        isi = np.diff(steps)
        assert (isi == math.ceil(p0 / DT) + max(k - 1, 0)).all(), (n, set(isi.tolist()))
        assert abs(isi[0] * DT - (p0 + refractory)) <= DT * (1 + 1e-9)
        rate = (len(steps) - 1) / ((steps[-1] - steps[0]) * DT)
        assert abs(1 / rate - (p0 + refractory)) <= DT


def test_exact_and_rk4_are_close():
    T, n_in, N = 3000, 10, 50
    rng = np.random.default_rng(5)
    x = rng.uniform(0.0, 0.004, (T, 2, n_in))
    weights = rng.uniform(0.0, 1.0, (n_in, N))
    bias = np.full(N, 2e-3, dtype=f32)
    s_exact, v_exact = ours(x, weights, bias, integrator="exact", refractory=1e-3)
    s_rk4, v_rk4 = ours(x, weights, bias, integrator="rk4", refractory=1e-3)
    assert s_exact.sum() > 100
    # RK4's gain differs from 1 - exp(-h) by h^5 / 120 = 2.6e-14 per step: only float32 rounding differs.
    for b in range(2):
        compare_spike_times(s_exact[:, b], s_rk4[:, b])
        assert trace_difference(v_exact[:, b], v_rk4[:, b], s_exact[:, b], s_rk4[:, b]) < FLOAT_TOL


def test_noise_statistics_match_the_formula_and_brian2():
    """Free membrane (threshold out of reach) with noise_std = 1 mV: v - v_rest is AR(1) with stationary std
    noise_std sqrt(2 g / (h (2 - g))) (= noise_std to 1e-6 here) and lag-one correlation 1 - g. Brian2 fed the same
    noise formula (Rockpool's, without its empirical factor 1.63) gives the same std."""
    noise_std = 1e-3
    h = DT / TAU
    g = -math.expm1(-h)
    expected = noise_std * math.sqrt(2 * g / (h * (2 - g)))
    T, N, skip = 4000, 400, 1000
    with Population(CurrentIafModel(np.zeros((1, N), dtype=f32), 0.0, noise_std=noise_std, v_thresh=1.0, seed=11)) as layer:
        layer.record("v")
        with layer.forward(np.zeros((T, 1, 1), dtype=f32)):
            d = np.asarray(layer.recorded["v"])[skip:, 0].astype(np.float64) - V_REST
    assert abs(d.std() - expected) < 0.04 * expected  # ~6000 independent samples: std known to ~1 %
    assert abs(d.mean()) < 0.05 * expected
    lag = (d[1:] * d[:-1]).mean() / (d * d).mean()
    assert abs(lag - (1 - g)) < 2e-3
    # Per-step increment of the free membrane: d[t+1] - (1 - g) d[t] has std g * noise_std * sqrt(2 tau / dt).
    increment = d[1:] - (1 - g) * d[:-1]
    assert abs(increment.std() - g * noise_std * math.sqrt(2 * TAU / DT)) < 0.02 * g * noise_std * math.sqrt(2 * TAU / DT)

    Tb, Nb = 3000, 100
    noise = np.random.default_rng(0).standard_normal((Tb, Nb)) * noise_std * math.sqrt(2 * TAU / DT)
    _, vb = brian(np.zeros((Tb, Nb)), np.zeros(Nb), noise=noise)
    db = vb[skip:] - V_REST
    assert abs(db.std() - expected) < 0.08 * expected  # fewer samples: ~2000 independent, about 2 %


def test_seed_determinism_and_streaming():
    T, n_in, N = 600, 5, 30
    rng = np.random.default_rng(9)
    x = rng.uniform(0.0, 0.02, (T, 3, n_in)).astype(f32)
    w = rng.uniform(0.0, 1.0, (n_in, N)).astype(f32)
    kwargs = dict(noise_std=2e-3, refractory=1e-3, seed=42)
    s1, v1 = ours(x, w, 5e-3, **kwargs)
    s2, v2 = ours(x, w, 5e-3, **kwargs)
    assert s1.sum() > 50 and np.array_equal(s1, s2) and np.array_equal(v1, v2)
    s3, _ = ours(x, w, 5e-3, **{**kwargs, "seed": 43})
    assert not np.array_equal(s1, s3)
    # The same run fed in three pieces: identical bits (state and noise stream carry over).
    with Population(CurrentIafModel(w, 5e-3, **kwargs)) as layer:
        layer.record("v")
        pieces, vs = [], []
        for a, b in ((0, 1), (1, 250), (250, T)):
            with layer.forward(x[a:b]) as out:
                pieces.append(np.asarray(out.values))
                vs.append(np.asarray(layer.recorded["v"]))
        assert layer.step_count == T
        state = {k: np.asarray(layer.state[k]) for k in ("v", "refractory")}
        layer.reset_state()
        assert len(layer.state) == 0 and layer.step_count == 0
    assert np.array_equal(np.concatenate(pieces), s1) and np.array_equal(np.concatenate(vs), v1)
    assert np.array_equal(state["v"], v1[-1])
    assert set(np.unique(state["refractory"])) <= set(range(0, 10))


def test_layer_contract():
    w = np.ones((3, 4), dtype=f32)
    with Population(CurrentIafModel(w, np.array([1e-3, 2e-3, 3e-3, 4e-3], dtype=f32), refractory=1e-3), "ff") as layer:
        assert layer.name == "ff" and layer.type_name == "Population" and isinstance(layer.model, CurrentIafModel)
        assert list(layer.input_shape) == [3] and list(layer.output_shape) == [4]
        assert sorted(layer.parameters.keys()) == ["bias", "weights"]
        assert np.array_equal(np.asarray(layer.parameters["weights"]), w)
        assert list(layer.recordable) == ["spikes", "v"]
        assert layer.model.refractory_steps == 9  # Brian2: round(1 ms / 0.1 ms) - 1
        config = layer.config
        assert config.get_double("tau_mem") == 0.02 and config.get_string("integrator") == "exact"
        layer.set_state("v", np.full((2, 4), -0.056, dtype=f32))
        assert np.allclose(np.asarray(layer.state["v"]), -0.056)
        assert np.array_equal(np.asarray(layer.state["refractory"]), np.zeros((2, 4)))


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(dt=0.0), "dt must be finite and > 0"),
    (dict(dt=-1e-4), "dt must be finite and > 0"),
    (dict(tau_mem=0.0), "tau_mem must be finite and > 0"),
    (dict(tau_mem=float("nan")), "tau_mem must be finite and > 0"),
    (dict(v_thresh=-0.07), "v_thresh (-0.07 V) must be > v_reset (-0.065 V)"),
    (dict(v_rest=float("nan")), "v_rest must be a finite voltage"),
    (dict(refractory=-1e-3), "refractory must be finite and >= 0"),
    (dict(noise_std=-1.0), "noise_std must be finite and >= 0"),
    (dict(integrator="euler"), "integrator \"euler\" is unknown; pass \"exact\" or \"rk4\""),
    (dict(bias=float("nan")), "bias must be a finite current"),
])
def test_bad_parameters_raise_typed_errors(kwargs, fragment):
    with pytest.raises(snn.SnnArgumentException) as e:
        Population(CurrentIafModel(np.ones((2, 3), dtype=f32), **kwargs))
    assert isinstance(e.value, ValueError)
    assert fragment in str(e.value)


def test_bad_inputs_raise_typed_errors():
    with pytest.raises(snn.SnnArgumentException, match="bias has 2 values but the weights"):
        Population(CurrentIafModel(np.ones((2, 3), dtype=f32), np.zeros(2, dtype=f32)))
    with Population(CurrentIafModel(np.ones((2, 3), dtype=f32))) as layer:
        with pytest.raises(snn.SnnArgumentException, match=r"takes float32 \[time, batch, 2\]"):
            layer.forward(np.zeros((5, 1, 3), dtype=f32))
        with pytest.raises(snn.SnnArgumentException, match="has no state variable \"u\""):
            layer.set_state("u", np.zeros((1, 3), dtype=f32))
        with pytest.raises(snn.SnnArgumentException, match=r"must be float32 \[batch, 3\]"):
            layer.set_state("v", np.zeros((1, 4), dtype=f32))
        with pytest.raises(snn.SnnArgumentException, match="cannot record \"membrane\""):
            layer.record("membrane")


# C#/Python parity: the recipe of dotnet/Snn.Tests/Neurons/FfiafTests.cs (FfiafParity).
PARITY_CASES = ["rk4_noise", "exact"]


def parity_run(name):
    seed = PARITY_CASES.index(name) + 21
    with snn.Tensor.zeros([6 * 9]) as u:
        snn.Philox.uniform(u, seed, offset=1)
        w = (np.float32(0.05) * np.asarray(u)).reshape(6, 9)
    with snn.Tensor.zeros([40, 2, 6]) as u:
        snn.Philox.uniform(u, seed, offset=2)
        x = np.asarray(u)
    kwargs = dict(noise_std=2e-3, refractory=5e-4, seed=5, integrator="rk4") if name == "rk4_noise" \
        else dict(refractory=0.0, integrator="exact")
    arrays = {"x": x, "w": w}
    with Population(CurrentIafModel(w, 0.012, **kwargs)) as layer:
        layer.record("spikes", "v")
        for tag, part in (("1", x[:20]), ("2", x[20:])):
            with layer.forward(part) as out:
                arrays["out" + tag] = np.asarray(out.values)
                arrays["v" + tag] = np.asarray(layer.recorded["v"])
        arrays["state_v"] = np.asarray(layer.state["v"])
        arrays["state_refractory"] = np.asarray(layer.state["refractory"])
    return arrays


@pytest.mark.parametrize("name", PARITY_CASES)
def test_python_matches_csharp_bit_for_bit(name):
    arrays = float32_arrays(parity_run(name))
    assert arrays["out1"].sum() + arrays["out2"].sum() > 0, "the case should make the neurons spike"
    write_and_compare("ffiaf", name, arrays)
