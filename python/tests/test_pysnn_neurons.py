"""PySNN's neurons with traces (snn.neurons.InputNeuron, IFNeuron, LIFNeuron, AdaptiveLIFNeuron) from Python:
against numpy references written from PySNN's equations (every neuron, both trace and leak types, refractory
periods, the adaptive threshold, streaming across two calls), analytic IF and LIF firing, a Brian2 oracle for a
LIF population with exponential leak, byte-for-byte parity with the C# API, and typed errors."""
import os

import numpy as np
import pytest

from parity import float32_arrays, write_and_compare
import snn
from snn.pysnn import AdaptiveLIFNeuron, IFNeuron, InputNeuron, LIFNeuron

f32 = np.float32
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Reference:
    """A vectorised numpy reference (over batch and neurons) of PySNN's step order, in float32: voltage update
    unless refractory, spike test v >= thresh, trace, adaptive threshold, refractory countdown by dt, reset."""

    def __init__(self, model, update="linear", thresh=1.0, v_rest=0.0, alpha_v=1.0, alpha_t=1.0, dt=1.0,
                 duration_refrac=0.0, tau_v=0.5, tau_t=0.5, alpha_thresh=0.0, tau_thresh=0.5):
        self.model, self.expo = model, update == "exponential"
        self.thresh, self.v_rest, self.alpha_v, self.alpha_t = f32(thresh), f32(v_rest), f32(alpha_v), f32(alpha_t)
        self.dt, self.refrac, self.alpha_th = f32(dt), f32(duration_refrac), f32(alpha_thresh)
        rate = (lambda tau: self.dt / f32(tau)) if self.expo else f32
        self.kv, self.kt, self.kth = rate(tau_v), rate(tau_t), rate(tau_thresh)

    def rest(self, shape):
        return {"v": np.full(shape, self.v_rest, f32), "trace": np.zeros(shape, f32),
                "refractory": np.zeros(shape, f32), "threshold": np.full(shape, self.thresh, f32)}

    def run(self, x, state):
        state = {k: v.copy() for k, v in state.items()}
        v, tr, rf, th = state["v"], state["trace"], state["refractory"], state["threshold"]
        spikes, traces, vs = (np.zeros_like(x) for _ in range(3))
        for t in range(x.shape[0]):
            if self.model == "input":
                s = x[t]
            else:
                if self.model == "if":
                    nv = v + self.alpha_v * x[t]
                elif self.expo:
                    nv = v + self.kv * (-(v - self.v_rest) + self.alpha_v * x[t])
                else:
                    nv = self.v_rest + ((v - self.v_rest) * self.kv + self.alpha_v * x[t])
                v[...] = np.where(rf > 0, v, nv)
                fire = v >= (th if self.model == "alif" else self.thresh)
                s = fire.astype(f32)
                if self.model == "alif":
                    if self.expo:
                        th[...] = th + self.kth * (-(th - self.thresh) + self.alpha_th * s)
                    else:
                        th[...] = self.thresh + ((th - self.thresh) * self.kth + self.alpha_th * s)
                left = rf - self.dt
                rf[...] = np.where(left < f32(0.5) * self.dt, f32(0), left) + self.refrac * s
                v[fire] = self.v_rest
            if self.expo:
                tr[...] = tr + self.kt * (-tr + self.alpha_t * s)
            else:
                tr[...] = tr * self.kt + self.alpha_t * s
            spikes[t], traces[t], vs[t] = s, tr, v
        return spikes, traces, vs, state


PARAMS = dict(thresh=1.0, v_rest=-0.2, alpha_v=0.7, alpha_t=0.6, dt=0.5)


def make(model, update, refrac, cells):
    taus = dict(tau_v=3.0, tau_t=2.0, tau_thresh=5.0) if update == "exponential" else \
        dict(tau_v=0.8, tau_t=0.7, tau_thresh=0.9)
    p = dict(PARAMS, duration_refrac=refrac, **taus)
    if update == "exponential":
        p["alpha_v"] = 2.5  # an Euler step of dt / tau_v needs a stronger drive to reach the threshold
    ref = Reference(model, update, alpha_thresh=0.4, **p)
    if model == "input":
        layer = InputNeuron(cells, p["dt"], p["alpha_t"], p["tau_t"], update)
    elif model == "if":
        layer = IFNeuron(cells, p["thresh"], p["v_rest"], p["alpha_v"], p["alpha_t"], p["dt"], refrac, p["tau_t"], update)
    elif model == "lif":
        layer = LIFNeuron(cells, p["thresh"], p["v_rest"], p["alpha_v"], p["alpha_t"], p["dt"], refrac, p["tau_v"],
                          p["tau_t"], update_type=update)
    else:
        layer = AdaptiveLIFNeuron(cells, p["thresh"], p["v_rest"], p["alpha_v"], p["alpha_t"], p["dt"], refrac,
                                  p["tau_v"], p["tau_t"], 0.4, p["tau_thresh"], update_type=update)
    return layer, ref


STATE_NAMES = {"input": ["trace"], "if": ["v", "trace", "refractory"], "lif": ["v", "trace", "refractory"],
               "alif": ["v", "trace", "refractory", "threshold"]}
CASES = [(m, u, r) for m in ("input", "if", "lif", "alif") for u in ("linear", "exponential")
         for r in ((0.0,) if m == "input" else (0.0, 1.5))]


@pytest.mark.parametrize("model,update,refrac", CASES)
def test_matches_numpy_reference_from_an_off_rest_state_across_two_calls(model, update, refrac):
    rng = np.random.default_rng(hash((model, update, refrac)) % 2**32)
    T, B, cells = 30, 3, (4, 5)
    if model == "input":
        x = rng.integers(0, 2, (T, B) + cells).astype(f32)
    else:
        x = rng.uniform(-0.3, 1.4, (T, B) + cells).astype(f32)
    layer, ref = make(model, update, refrac, list(cells))
    with layer:
        state = ref.rest((B,) + cells)
        state["v"] = rng.uniform(-0.5, 0.9, (B,) + cells).astype(f32)
        state["trace"] = rng.uniform(0, 1, (B,) + cells).astype(f32)
        state["refractory"] = np.where(rng.random((B,) + cells) < 0.3, f32(refrac), f32(0)) if refrac else state["refractory"]
        state["threshold"] = rng.uniform(0.8, 1.5, (B,) + cells).astype(f32)
        for name in STATE_NAMES[model]:
            layer.set_state(name, state[name])
        layer.record(*layer.recordable)
        spikes, traces, vs, final = ref.run(x, state)
        got = {"spikes": [], "trace": [], "v": []}
        for part in (x[:13], x[13:]):
            with layer.forward(part) as out:
                got["spikes"].append(np.asarray(out.values))
                got["trace"].append(np.asarray(out.trace))
            if model != "input":
                got["v"].append(np.asarray(layer.recorded["v"]))
            np.testing.assert_array_equal(np.asarray(layer.recorded["spikes"]), got["spikes"][-1])
        np.testing.assert_array_equal(np.concatenate(got["spikes"]), spikes)
        np.testing.assert_array_equal(np.concatenate(got["trace"]), traces)
        if model != "input":
            np.testing.assert_array_equal(np.concatenate(got["v"]), vs)
            assert 10 < spikes.sum() < 0.9 * spikes.size
        assert sorted(layer.state.keys()) == sorted(STATE_NAMES[model])
        for name in STATE_NAMES[model]:
            np.testing.assert_array_equal(np.asarray(layer.state[name]), final[name], err_msg=name)


def test_refractory_neuron_holds_its_voltage_and_stays_silent():
    # One LIF neuron driven hard: after each spike it is silent for exactly duration_refrac / dt steps.
    with LIFNeuron(1, 1.0, 0.0, 1.0, 1.0, 0.25, 1.0, 0.5, 0.5) as layer:
        layer.record("v")
        with layer.forward(np.full((40, 1, 1), 5.0, f32)) as out:
            s = np.asarray(out.values)[:, 0, 0]
        v = np.asarray(layer.recorded["v"])[:, 0, 0]
    times = np.flatnonzero(s)
    assert times[0] == 0 and np.all(np.diff(times) == 5)   # spike, 4 held steps (1.0 / 0.25), spike
    assert np.all(v == 0.0)                                # reset to v_rest, held there, crosses at once


@pytest.mark.parametrize("x,refrac", [(0.25, 0.0), (0.125, 3.0), (0.3, 1.0)])
def test_if_fires_at_the_analytic_rate(x, refrac):
    # IF from v_rest = 0: v_k = k alpha_v x, one spike every ceil(thresh / (alpha_v x)) steps, plus refractory steps.
    steps = 300
    with IFNeuron(1, 1.0, 0.0, 1.0, 1.0, 1.0, refrac, 0.5) as layer, layer.forward(np.full((steps, 1, 1), x, f32)) as out:
        s = np.asarray(out.values)[:, 0, 0]
    k = int(np.ceil(1.0 / x - 1e-9))
    period = k + int(refrac)
    assert np.array_equal(np.flatnonzero(s), np.arange(k - 1, steps, period))


@pytest.mark.parametrize("update", ["linear", "exponential"])
def test_lif_fires_at_the_analytic_rate(update):
    # From v_rest = 0 with constant x, the linear leak gives v_k = alpha_v x (1 - d^k) / (1 - d) and the exponential
    # one (an Euler step) the same with d = 1 - dt / tau_v and alpha_v x dt / tau_v per step; the first spike is at
    # the smallest k with v_k >= thresh, and the period adds the refractory steps.
    x, dt, refrac = 0.3, 1.0, 2.0
    if update == "linear":
        d, gain, layer = 0.8, x, LIFNeuron(1, 1.0, 0.0, 1.0, 1.0, dt, refrac, 0.8, 0.5)
    else:
        tau, x = 4.0, 1.0
        d, gain = 1 - dt / tau, 1.5 * x * dt / tau
        layer = LIFNeuron(1, 1.0, 0.0, 1.5, 1.0, dt, refrac, tau, 2.0, "exponential")
    k = int(np.ceil(np.log(1 - (1 - d) / gain) / np.log(d)))
    with layer, layer.forward(np.full((200, 1, 1), x, f32)) as out:
        times = np.flatnonzero(np.asarray(out.values)[:, 0, 0])
    assert times[0] == k - 1
    assert np.all(np.diff(times) == k + int(refrac))


@pytest.mark.parametrize("stimulus,refrac_steps", [("constant", 0), ("step", 0), ("constant", 2), ("step", 3)])
def test_exponential_lif_population_matches_brian2(stimulus, refrac_steps):
    # Brian2 counts the spike's own step as refractory: PySNN's duration_refrac = R dt is Brian2's (R + 1) dt.
    from brian2 import Network, NeuronGroup, SpikeMonitor, TimedArray, defaultclock, ms, prefs
    prefs.codegen.target = "numpy"
    N, T, dt, tau, thresh, v_rest, alpha_v = 24, 400, 0.5, 10.0, 1.0, -0.1, 1.3
    levels = np.linspace(0.9, 3.0, N)
    current = np.tile(levels, (T, 1))
    if stimulus == "step":
        current[T // 3: 2 * T // 3] *= 0.4      # a drop, then back up
        current[2 * T // 3:] = levels[::-1]
    current = current.astype(f32)

    with LIFNeuron(N, thresh, v_rest, alpha_v, 1.0, dt, refrac_steps * dt, tau, 5.0, "exponential") as layer, \
            layer.forward(current[:, None, :]) as out:
        ours = np.asarray(out.values)[:, 0, :]

    defaultclock.dt = dt * ms
    stim = TimedArray(current.astype(np.float64), dt=dt * ms)
    group = NeuronGroup(N, "dv/dt = (-(v - v_rest) + alpha_v * stim(t, i)) / tau_v : 1 (unless refractory)",
                        threshold="v >= thresh", reset="v = v_rest", method="euler",
                        refractory=(refrac_steps + 1) * dt * ms if refrac_steps else 0 * ms,
                        namespace=dict(v_rest=v_rest, alpha_v=alpha_v, tau_v=tau * ms, thresh=thresh, stim=stim))
    group.v = v_rest
    monitor = SpikeMonitor(group)
    net = Network(group, monitor)
    net.run(T * dt * ms)
    steps = np.round(np.asarray(monitor.t / ms) / dt).astype(int)
    total = 0
    for n in range(N):
        theirs = np.sort(steps[np.asarray(monitor.i) == n])
        mine = np.flatnonzero(ours[:, n])
        assert abs(len(mine) - len(theirs)) <= 1, f"neuron {n}: {len(mine)} spikes vs Brian2's {len(theirs)}"
        m = min(len(mine), len(theirs))
        assert np.all(np.abs(mine[:m] - theirs[:m]) <= 1), f"neuron {n}: {mine} vs Brian2's {theirs}"
        total += len(mine)
    assert total > 100  # the population is active


CASES_PARITY = ["input", "if_exponential", "lif_linear", "lif_exponential", "alif_linear", "alif_exponential"]


def parity_layer(name):
    N = 13
    return {"input": lambda: InputNeuron(N, 1.0, 0.5, 0.8, "linear"),
            "if_exponential": lambda: IFNeuron(N, 1.0, 0.0, 0.6, 1.0, 1.0, 2.0, 4.0, "exponential"),
            "lif_linear": lambda: LIFNeuron(N, 0.8, -0.1, 0.7, 0.9, 0.5, 1.0, 0.85, 0.6, "linear"),
            "lif_exponential": lambda: LIFNeuron(N, 1.0, 0.0, 1.2, 1.0, 0.5, 0.0, 2.0, 3.0, "exponential"),
            "alif_linear": lambda: AdaptiveLIFNeuron(N, 0.9, 0.0, 0.8, 1.0, 1.0, 1.0, 0.9, 0.7, 0.3, 0.8, "linear"),
            "alif_exponential": lambda: AdaptiveLIFNeuron(N, 1.0, -0.2, 2.0, 0.5, 0.25, 0.5, 1.5, 2.0, 0.5, 3.0,
                                                          "exponential")}[name]()


@pytest.mark.parametrize("name", CASES_PARITY)
def test_python_matches_csharp_bit_for_bit(name):
    """Same recipe as dotnet/Snn.Tests/Neurons/PySnnParityTests.cs; numpy arrays go in as zero-copy views."""
    with snn.Tensor.zeros([16, 2, 13]) as uniforms:
        snn.Philox.uniform(uniforms, CASES_PARITY.index(name) + 1, offset=7)
        u = np.asarray(uniforms)
    x = np.floor(f32(2) * u) if name == "input" else f32(1.6) * u - f32(0.2)
    arrays = {"x": x}
    with parity_layer(name) as layer:
        layer.record(*layer.recordable)
        for tag, part in (("1", x[:8]), ("2", x[8:])):
            with layer.forward(np.ascontiguousarray(part)) as out:
                arrays["spikes" + tag] = np.asarray(out.values)
                arrays["trace" + tag] = np.asarray(out.trace)
            for variable in layer.recordable:
                arrays[f"record{tag}_{variable}"] = np.asarray(layer.recorded[variable])
        for key in sorted(layer.state.keys()):
            arrays["state_" + key] = np.asarray(layer.state[key])
    arrays = float32_arrays(arrays)
    assert arrays["spikes1"].sum() > 0
    write_and_compare("pysnn_neurons", name, arrays)


def test_both_sides_run_the_same_parity_cases():
    with open(os.path.join(ROOT, "dotnet", "Snn.Tests", "Neurons", "PySnnParityTests.cs")) as f:
        listed = f.read().split("CaseNames =", 1)[1].split(";", 1)[0]
    assert [c.strip().strip('"') for c in listed.strip().strip("[]").split(",")] == CASES_PARITY


def test_config_round_trip_and_properties():
    with AdaptiveLIFNeuron([2, 3], 0.9, 0.1, 0.8, 0.7, 0.25, 0.5, 2.0, 1.5, 0.3, 4.0, "exponential") as layer:
        config = layer.config
        assert config.type_name == "AdaptiveLIFNeuron"
        assert (layer.thresh, layer.v_rest, layer.dt, layer.duration_refrac, layer.update_type) == \
            (pytest.approx(0.9), pytest.approx(0.1), 0.25, 0.5, "exponential")
        assert list(layer.cells_shape) == [2, 3]
        with AdaptiveLIFNeuron.from_config(config, snn.Device.default) as copy:
            assert str(copy.config) == str(config)


@pytest.mark.parametrize("make,fragment", [
    (lambda: IFNeuron(3, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.5), "dt must be finite and > 0"),
    (lambda: LIFNeuron(3, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, -2.0, 1.0, "exponential"), "tau_v must be a finite time constant > 0"),
    (lambda: LIFNeuron(3, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.5, 0.5), "tau_v must be a decay factor in [0, 1]"),
    (lambda: InputNeuron(3, 1.0, 1.0, -0.5), "tau_t must be a decay factor in [0, 1]"),
    (lambda: IFNeuron(3, 1.0, 0.0, 1.0, 1.0, 1.0, -1.0, 0.5), "duration_refrac must be finite and >= 0"),
    (lambda: IFNeuron(3, 1.0, 0.0, 1.0, 1.0, 0.4, 1.0, 0.5), "not an integer multiple of dt"),
    (lambda: AdaptiveLIFNeuron(3, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.5, 0.5, 0.1, 0.0, "exponential"),
     "tau_thresh must be a finite time constant > 0"),
    (lambda: IFNeuron(3, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.5, "quadratic"), "update_type \"quadratic\" is not supported"),
])
def test_bad_parameters_raise_value_errors_with_the_rule(make, fragment):
    with pytest.raises(ValueError, match=None) as info:
        make()
    assert isinstance(info.value, snn.SnnArgumentException)
    assert fragment in str(info.value)


def test_bad_inputs_raise():
    with LIFNeuron([2, 3], 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.5, 0.5) as layer:
        with pytest.raises(ValueError, match=r"takes float32 \[time, batch, 2, 3\]"):
            layer.forward(np.zeros((4, 2, 6), f32))
        with pytest.raises(ValueError, match="has no state variable"):
            layer.set_state("threshold", np.zeros((2, 2, 3), f32))
    with InputNeuron(3, 1.0, 1.0, 0.5) as layer, pytest.raises(ValueError, match='cannot record "v"'):
        layer.record("v")
