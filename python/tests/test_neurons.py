"""The neuron family from Python (snn.neurons): every model and option against a numpy reference written
from the equations of docs/neurons.md (Spyx, semantics section 4; snnTorch/PySNN/Rockpool options), bit for
bit; analytic firing rates of IF and LIF; streaming; Spyx-style initialisation; errors."""

import math

import numpy as np
import pytest

import snn
from snn.layers import DenseLif
from snn.neurons import NeuronKind, NeuronModel, ResetMode, SpikeTiming

f32 = np.float32


def reference(kind, x, *, timing=SpikeTiming.BEFORE_INPUT, reset=ResetMode.SUBTRACT, inclusive=False, refractory=0,
              max_spikes=1, threshold=1.0, alpha=0.8, beta=0.9, gamma=0.9, w=None, state=None):
    """Runs the equations over x [T, B, N] in float32. alpha, beta, gamma: scalars or per-neuron arrays (already
    clamped where the model clamps). Returns (output, records, final state)."""
    T, B, N = x.shape
    state = state or {}
    zeros = np.zeros((B, N), f32)
    V, I, A, R, S = (np.array(state.get(k, zeros), dtype=f32) for k in ("membrane", "current", "adaptation",
                                                                         "refractory", "spikes"))
    alpha, beta, gamma = (np.broadcast_to(np.asarray(d, dtype=f32), (N,)) for d in (alpha, beta, gamma))
    theta = f32(threshold)
    out = np.zeros_like(x)
    rec = {k: np.zeros_like(x) for k in ("membrane", "current", "adaptation", "refractory")}

    def count(v, th):
        fire = (v >= th) if inclusive else (v > th)
        if max_spikes <= 1:
            return np.where(fire, f32(1), f32(0))
        n = np.minimum(np.maximum(np.floor(v / th), f32(1)), f32(max_spikes))
        return np.where(fire, n, f32(0)).astype(f32)

    def recurrent_input(s):
        r = np.zeros((B, N), f32)
        for pre in range(N):          # ascending pre; adding 0 * w for silent neurons changes nothing
            r += s[:, pre:pre + 1] * w[pre]
        return r

    for t in range(T):
        rec["adaptation"][t] = A
        rec["refractory"][t] = R
        if kind == NeuronKind.LI:
            V = beta * V + x[t]
            out[t] = rec["membrane"][t] = V
            continue
        th = theta + A if kind == NeuronKind.ALIF else np.full((B, N), theta, f32)
        held = R > 0
        if timing == SpikeTiming.BEFORE_INPUT:
            rec["membrane"][t] = V
            s = np.where(held, f32(0), count(V, th))
            r = recurrent_input(s) if w is not None else None   # this step's spikes (Spyx)
            if kind == NeuronKind.CUBA_LIF:
                Vr = {ResetMode.SUBTRACT: V - s * th, ResetMode.ZERO: np.where(s > 0, f32(0), V),
                      ResetMode.NONE: V}[reset]
                I = alpha * I + x[t] + r if r is not None else alpha * I + x[t]
                V = np.where(held, V, beta * Vr + I)
            else:
                decayed = V if kind == NeuronKind.IF else beta * V
                if reset == ResetMode.ZERO:
                    decayed = np.where(s > 0, f32(0), decayed)
                Vn = decayed + x[t] + r if r is not None else decayed + x[t]
                if reset == ResetMode.SUBTRACT:
                    Vn = Vn - s * th
                V = np.where(held, V, Vn)
        else:
            r = recurrent_input(S) if w is not None else None   # the previous step's spikes
            if kind == NeuronKind.CUBA_LIF:
                I = alpha * I + x[t] + r if r is not None else alpha * I + x[t]
                Vp = beta * V + I
            else:
                decayed = V if kind == NeuronKind.IF else beta * V
                Vp = decayed + x[t] + r if r is not None else decayed + x[t]
            Vp = np.where(held, V, Vp)
            rec["membrane"][t] = Vp
            s = np.where(held, f32(0), count(Vp, th))
            V = {ResetMode.SUBTRACT: Vp - s * th, ResetMode.ZERO: np.where(s > 0, f32(0), Vp),
                 ResetMode.NONE: Vp}[reset]
        if kind == NeuronKind.ALIF:
            A = gamma * A + (f32(1) - gamma) * s
        R = np.where(held, R - f32(1), np.where(s > 0, f32(refractory), f32(0)))
        rec["current"][t] = I
        out[t] = s
        S = s
    final = {"membrane": V, "current": I, "adaptation": A, "refractory": R, "spikes": S}
    return out, rec, final


def bits(a):
    return np.ascontiguousarray(np.asarray(a, dtype=f32)).view(np.uint32)


def assert_bitwise(expected, actual, what):
    expected, actual = bits(expected), bits(actual)
    assert expected.shape == actual.shape, what
    bad = np.flatnonzero(expected != actual)
    assert bad.size == 0, f"{what}: {bad.size} elements differ, first at flat index {bad[:1]}"


def clamp(d):
    return np.minimum(np.maximum(np.asarray(d, dtype=f32), f32(0)), f32(1))


def decays_of(model):
    """The decays the model computes with, as the reference takes them."""
    def one(per_neuron, scalar):
        d = np.asarray(per_neuron) if per_neuron is not None else np.full(model.size, scalar, f32)
        return clamp(d) if model.clip_decays else d.astype(f32)
    return dict(alpha=one(model.alpha_per_neuron, model.alpha), beta=one(model.beta_per_neuron, model.beta),
                gamma=one(model.gamma_per_neuron, model.gamma))


def run_and_compare(model, x, state=None):
    """Runs the model with recording from `state` (a dict of numpy arrays) and checks everything."""
    kind = NeuronKind(model.kind)
    w = np.asarray(model.recurrent_weight) if model.recurrent_weight is not None else None
    expected, rec, final = reference(
        kind, x, timing=SpikeTiming(model.spike_timing), reset=ResetMode(model.reset_mode),
        inclusive=model.inclusive_threshold, refractory=model.refractory_steps, max_spikes=model.max_spikes_per_step,
        threshold=model.threshold, w=w, state=state, **decays_of(model))
    with model.initial_state(x.shape[1]) as start:
        for name, values in (state or {}).items():
            tensor = getattr(start, name)
            if tensor is not None:
                tensor.copy_from(values.ravel())
        with model.forward(x, start, record=True) as out:
            assert_bitwise(expected, out.output, "output")
            assert_bitwise(rec["membrane"], out.membrane, "membrane record")
            for name in ("current", "adaptation", "refractory"):
                recorded = getattr(out, name)
                if recorded is not None:
                    assert_bitwise(rec[name], recorded, f"{name} record")
            for name in ("membrane", "current", "adaptation", "refractory", "spikes"):
                carried = getattr(out.state, name)
                if carried is not None:
                    assert_bitwise(final[name], carried, f"final {name}")
            if state is not None:  # the caller's state is left as it was
                assert_bitwise(state["membrane"], start.membrane, "initial state")
            if kind != NeuronKind.LI:
                fired = np.mean(expected > 0)
                assert 0.02 < fired < 0.98, "test data should make neurons fire, and not always"
            return np.asarray(out.output)


def random_input(shape, seed, low=-0.4, high=1.2):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(f32)


def random_state(B, N, seed):
    rng = np.random.default_rng(seed)
    return {"membrane": rng.uniform(-0.5, 1.5, (B, N)).astype(f32),
            "current": rng.uniform(-0.3, 0.6, (B, N)).astype(f32),
            "adaptation": rng.uniform(0, 0.5, (B, N)).astype(f32)}


N = 17
SPYX = {"IF": lambda: NeuronModel.create(NeuronKind.IF, N), "LIF": lambda: NeuronModel.create(NeuronKind.LIF, N, seed=2), "LI": lambda: NeuronModel.create(NeuronKind.LI, N), "ALIF": lambda: NeuronModel.create(NeuronKind.ALIF, N, seed=3),
        "CuBaLIF": lambda: NeuronModel.create(NeuronKind.CUBA_LIF, N, seed=4), "RIF": lambda: NeuronModel.create(NeuronKind.IF, N, seed=5, recurrent=True), "RLIF": lambda: NeuronModel.create(NeuronKind.LIF, N, seed=6, recurrent=True),
        "RCuBaLIF": lambda: NeuronModel.create(NeuronKind.CUBA_LIF, N, seed=7, recurrent=True)}


@pytest.mark.parametrize("name", list(SPYX))
def test_spyx_models_match_numpy(name):
    with SPYX[name]() as model:
        assert (model.spike_timing, model.reset_mode, model.clip_decays) == (SpikeTiming.BEFORE_INPUT,
                                                                             ResetMode.SUBTRACT, True)
        assert (model.recurrent_weight is not None) == name.startswith("R")
        run_and_compare(model, random_input((21, 3, N), 1), random_state(3, N, 2))
        run_and_compare(model, random_input((21, 3, N), 3))
        # Larger recurrent weights, and decays outside [0, 1] that Spyx clamps.
        if model.recurrent_weight is not None:
            model.recurrent_weight = np.random.default_rng(4).uniform(-0.3, 0.3, (N, N)).astype(f32)
        if model.beta_per_neuron is not None:
            model.beta_per_neuron = np.random.default_rng(5).uniform(-0.4, 1.4, N).astype(f32)
        run_and_compare(model, random_input((21, 3, N), 6), random_state(3, N, 7))


OPTIONS = [  # kind, timing, reset, inclusive, refractory, max spikes
    (NeuronKind.IF, SpikeTiming.AFTER_INPUT, ResetMode.ZERO, True, 0, 1),
    (NeuronKind.IF, SpikeTiming.BEFORE_INPUT, ResetMode.SUBTRACT, False, 2, 3),
    (NeuronKind.LIF, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT, False, 0, 1),
    (NeuronKind.LIF, SpikeTiming.AFTER_INPUT, ResetMode.NONE, True, 3, 1),
    (NeuronKind.LIF, SpikeTiming.BEFORE_INPUT, ResetMode.ZERO, False, 1, 1),
    (NeuronKind.LIF, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT, True, 0, 1000),
    (NeuronKind.ALIF, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT, False, 2, 4),
    (NeuronKind.ALIF, SpikeTiming.BEFORE_INPUT, ResetMode.ZERO, True, 0, 1),
    (NeuronKind.CUBA_LIF, SpikeTiming.AFTER_INPUT, ResetMode.ZERO, False, 1, 1),
    (NeuronKind.CUBA_LIF, SpikeTiming.BEFORE_INPUT, ResetMode.SUBTRACT, True, 2, 3),
    (NeuronKind.CUBA_LIF, SpikeTiming.BEFORE_INPUT, ResetMode.NONE, False, 0, 1),
]


@pytest.mark.parametrize("recurrent", [False, True], ids=["feedforward", "recurrent"])
@pytest.mark.parametrize("kind, timing, reset, inclusive, refractory, max_spikes", OPTIONS)
def test_every_option_matches_numpy(kind, timing, reset, inclusive, refractory, max_spikes, recurrent):
    threshold = 0.5 if max_spikes > 1 else 1.0
    with NeuronModel(kind, N, threshold, timing, reset) as model:
        model.inclusive_threshold = inclusive
        model.refractory_steps = refractory
        model.max_spikes_per_step = max_spikes
        model.beta, model.alpha, model.gamma = 0.85, 0.6, 0.7
        if recurrent:
            model.recurrent_weight = np.random.default_rng(8).uniform(-0.2, 0.2, (N, N)).astype(f32)
        high = 0.5 if (kind, reset) == (NeuronKind.IF, ResetMode.NONE) else 0.9 if kind == NeuronKind.CUBA_LIF else 1.6
        out = run_and_compare(model, random_input((25, 2, N), 9, high=high), random_state(2, N, 10))
        if max_spikes > 1:
            assert out.max() > 1, "test data should produce several spikes in one step"


@pytest.mark.parametrize("kind", [NeuronKind.LIF, NeuronKind.ALIF, NeuronKind.CUBA_LIF, NeuronKind.LI])
def test_per_neuron_decays_with_and_without_clipping(kind):
    rng = np.random.default_rng(11)
    with NeuronModel(kind, N) as model:
        model.clip_decays = False
        model.beta_per_neuron = rng.uniform(0, 1, N).astype(f32)
        if kind == NeuronKind.CUBA_LIF:
            model.alpha_per_neuron = rng.uniform(0, 1, N).astype(f32)
        if kind == NeuronKind.ALIF:
            model.gamma_per_neuron = rng.uniform(0, 1, N).astype(f32)
        run_and_compare(model, random_input((20, 3, N), 12), random_state(3, N, 13))
        model.clip_decays = True
        beta = rng.uniform(-0.5, 1.5, N).astype(f32)
        beta[:2] = [np.inf, -np.inf]
        model.beta_per_neuron = beta
        run_and_compare(model, random_input((20, 3, N), 14), random_state(3, N, 15))


@pytest.mark.parametrize("timing", [SpikeTiming.BEFORE_INPUT, SpikeTiming.AFTER_INPUT])
@pytest.mark.parametrize("inclusive", [False, True])
def test_if_with_constant_input_fires_every_ceil_theta_over_x_steps(timing, inclusive):
    """IF from rest with input x and reset to zero: the membrane after k inputs is k x, so it fires when
    k x >= theta (inclusive), i.e. every ceil(theta / x) steps; strictly, every floor(theta / x) + 1 steps.
    x = k / 64 keeps every sum exact."""
    levels = (np.arange(1, 65) / 64).astype(f32)
    T = 150
    with NeuronModel(NeuronKind.IF, levels.size, 1.5, timing, ResetMode.ZERO) as model:
        model.inclusive_threshold = inclusive
        with model.forward(np.broadcast_to(levels, (T, 1, levels.size)).copy()) as out:
            spikes = np.asarray(out.output)[:, 0, :]
    for k, x in enumerate(levels.astype(float)):
        period = math.ceil(1.5 / x) if inclusive else math.floor(1.5 / x) + 1
        first = period - 1 if timing == SpikeTiming.AFTER_INPUT else period
        expected = [(t >= first and (t - first) % period == 0) for t in range(T)]
        np.testing.assert_array_equal(spikes[:, k], np.array(expected, f32), err_msg=f"x = {x}")


def test_lif_with_constant_input_fires_at_the_geometric_series_period():
    """LIF from rest, reset to zero: V_k = x (1 - beta^k) / (1 - beta), so it fires every
    ceil(ln(1 - theta (1 - beta) / x) / ln(beta)) steps when x > theta (1 - beta), and never below."""
    beta, theta, T = 0.8, 1.0, 200
    levels = (0.0525 + 0.05 * np.arange(40)).astype(f32)
    with NeuronModel(NeuronKind.LIF, levels.size, theta, SpikeTiming.AFTER_INPUT, ResetMode.ZERO) as model:
        model.beta = beta
        with model.forward(np.broadcast_to(levels, (T, 1, levels.size)).copy()) as out:
            spikes = np.asarray(out.output)[:, 0, :]
    firing = 0
    for k, x in enumerate(levels.astype(float)):
        b = float(f32(beta))
        if x < theta * (1 - b) - 0.01:
            assert spikes[:, k].sum() == 0, f"x = {x} must never fire"
            continue
        period = math.ceil(math.log(1 - theta * (1 - b) / x) / math.log(b))
        v = lambda n: x * (1 - b ** n) / (1 - b)
        assert v(period) - theta > 1e-4 and theta - v(period - 1) > 1e-4, f"level {x} too close to the threshold"
        expected = [((t + 1) % period == 0) for t in range(T)]
        np.testing.assert_array_equal(spikes[:, k], np.array(expected, f32), err_msg=f"x = {x}, period {period}")
        firing += 1
    assert firing > 30


def test_streaming_in_two_halves_equals_one_run():
    x = random_input((30, 2, N), 20)
    with NeuronModel.create(NeuronKind.CUBA_LIF, N, seed=1, recurrent=True) as model:
        model.spike_timing = SpikeTiming.AFTER_INPUT
        model.refractory_steps = 2
        model.recurrent_weight = np.random.default_rng(21).uniform(-0.3, 0.3, (N, N)).astype(f32)
        with model.forward(x) as whole, model.forward(x[:15]) as a, model.forward(x[15:], a.state) as b:
            assert_bitwise(np.asarray(whole.output), np.concatenate([np.asarray(a.output), np.asarray(b.output)]),
                           "streamed output")
            for name in ("membrane", "current", "refractory", "spikes"):
                assert_bitwise(np.asarray(getattr(whole.state, name)), np.asarray(getattr(b.state, name)), name)
            assert whole.state.adaptation is None and whole.membrane is None


def test_dense_lif_keeps_the_snntorch_convention_of_the_family():
    x = random_input((20, 3, N), 30)
    with DenseLif(N, N, beta=0.9, threshold=1.0, bias=False) as layer, \
            NeuronModel(NeuronKind.LIF, N, 1.0, SpikeTiming.AFTER_INPUT) as model:
        layer.weight.copy_from(np.eye(N, dtype=f32))  # identity weights: the currents are the input itself
        layer.record("membrane")
        model.beta = 0.9
        with layer.forward(x) as old, model.forward(x, record=True) as new:
            assert_bitwise(np.asarray(old.values), np.asarray(new.output), "spikes")
            assert_bitwise(np.asarray(layer.recorded["membrane"]), np.asarray(new.membrane), "membrane")
            assert_bitwise(np.asarray(layer.state["membrane"]), np.asarray(new.state.membrane), "state")


def test_spyx_initialisation():
    with NeuronModel.create(NeuronKind.LIF, 20000, seed=3) as lif, NeuronModel.create(NeuronKind.LIF, 20000, seed=3) as same, NeuronModel.create(NeuronKind.LIF, 64, seed=3, recurrent=True) as rlif, NeuronModel.create(NeuronKind.LI, 8) as li:
        beta = np.asarray(lif.beta_per_neuron)
        assert beta.min() >= 0 and beta.max() <= 1
        assert abs(beta.mean() - 0.5) < 0.01 and abs(beta.std() - 0.25 * 0.8796) < 0.005  # cut at 2 std
        np.testing.assert_array_equal(beta, np.asarray(same.beta_per_neuron))
        w = np.asarray(rlif.recurrent_weight)
        assert w.shape == (64, 64) and np.abs(w).max() <= 0.02 and abs(w.std() - 0.01 * 0.8796) < 0.0005
        np.testing.assert_array_equal(np.asarray(li.beta_per_neuron), np.full(8, 0.8, f32))
    with NeuronModel.create(NeuronKind.ALIF, 4, beta=0.7, gamma=0.5) as alif:
        assert alif.beta_per_neuron is None and alif.gamma_per_neuron is None
        assert (alif.beta, alif.gamma) == (pytest.approx(0.7), 0.5)


def test_bad_input_is_rejected_with_the_rule():
    x = np.zeros((4, 2, N), f32)
    with pytest.raises(ValueError, match="tau must be finite and > 0, got -2"):
        NeuronModel.decay_from_tau(-2.0, 1.0)
    assert NeuronModel.decay_from_tau(20.0, 1.0) == pytest.approx(math.exp(-1 / 20), rel=1e-7)
    with NeuronModel.create(NeuronKind.LIF, N, beta=1.5) as lif:
        lif.forward(x).dispose()          # Spyx clamps 1.5 into [0, 1]
        lif.clip_decays = False
        with pytest.raises(ValueError, match=r"params.beta must be in \[0, 1\], got 1.5"):
            lif.forward(x)
        lif.beta = float("nan")
        with pytest.raises(ValueError, match="params.beta is nan"):
            lif.forward(x)
        lif.beta = 0.9
        lif.threshold = 0.0
        with pytest.raises(ValueError, match="threshold must be finite and > 0, got 0"):
            lif.forward(x)
        lif.threshold = 1.0
        with pytest.raises(ValueError, match=f"population has {N} neurons"):
            lif.forward(np.zeros((4, 2, N + 1), f32))
        with pytest.raises(ValueError, match=r"BetaPerNeuron must be float32 \[17\]"):
            lif.beta_per_neuron = np.zeros(N - 1, f32)
        lif.beta_per_neuron = np.full(N, 2.0, f32)
        with pytest.raises(ValueError, match=r"params.beta_per_neuron\[0\] is 2 but every membrane decay"):
            lif.forward(x)
        with NeuronModel.create(NeuronKind.LIF, N).initial_state(3) as wrong_batch:
            with pytest.raises(ValueError, match=r"state->membrane \[3, 17\] does not match input \[4, 2, 17\]"):
                lif.forward(x, wrong_batch)
    with NeuronModel.create(NeuronKind.LI, N) as li:
        li.refractory_steps = 1
        with pytest.raises(ValueError, match="SNN_NEURON_LI never spikes"):
            li.forward(x)
    with pytest.raises(ValueError):
        NeuronModel(NeuronKind.LIF, 0)


def test_activity_regularization_counts_spikes_per_neuron():
    from snn.spyx import ActivityRegularization
    spikes = (np.random.default_rng(40).random((12, 3, N)) < 0.3).astype(f32)
    with ActivityRegularization() as reg:
        assert reg.spike_count is None
        reg.accumulate(spikes)
        reg.accumulate(spikes[:5])
        np.testing.assert_array_equal(np.asarray(reg.spike_count), spikes.sum(axis=0) + spikes[:5].sum(axis=0))
        with pytest.raises(ValueError, match=r"call Reset\(\)"):
            reg.accumulate(np.zeros((2, 4, N), f32))
        reg.reset()
        assert reg.spike_count is None


def test_population_code_sums_consecutive_groups():
    from snn.spyx import PopulationCode
    x = np.random.default_rng(41).integers(0, 5, (6, 2, 30)).astype(f32)
    with PopulationCode(10).forward(x) as out:
        np.testing.assert_array_equal(np.asarray(out), x.reshape(6, 2, 10, 3).sum(axis=-1))
    with pytest.raises(ValueError, match="not a multiple of num_classes = 7"):
        PopulationCode(7).forward(x)


def numpy_sum_pool(x, window, strides, same):
    """reduce_window(+) with XLA's padding, by explicit zero padding and strided windows."""
    pads, out_shape = [], []
    for n, w, s in zip(x.shape, window, strides):
        out = -(-n // s) if same else (n - w) // s + 1
        total = max((out - 1) * s + w - n, 0) if same else 0
        pads.append((total // 2, total - total // 2))
        out_shape.append(out)
    padded = np.pad(x, pads)
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    windows = windows[tuple(slice(None, None, s) for s in strides)]
    return windows.reshape(*windows.shape[:x.ndim], -1).sum(axis=-1)[tuple(slice(0, o) for o in out_shape)]


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
@pytest.mark.parametrize("window, strides, channel_axis, full", [
    (2, 2, -1, None), (3, 2, -1, None), (2, 1, None, None),
    ([2, 3], [1, 2], -1, (1, 1, 2, 3)), ([1, 3, 2, 2], [1, 2, 1, 2], -1, (1, 3, 2, 2)),
])
def test_sum_pool_matches_reduce_window(window, strides, channel_axis, full, padding):
    from snn.spyx import Functions, SumPool
    x = np.random.default_rng(42).integers(0, 3, (2, 9, 8, 4)).astype(f32)   # spike counts: exact sums
    if full is None:
        w = (1,) + tuple(1 if channel_axis is not None and d == x.ndim - 1 else window for d in range(1, x.ndim))
        s = (1,) + tuple(1 if channel_axis is not None and d == x.ndim - 1 else strides for d in range(1, x.ndim))
    else:
        w = full
        s = (1,) * (x.ndim - len(strides)) + tuple(strides)
    expected = numpy_sum_pool(x, w, s, padding == "SAME")
    with Functions.sum_pool(x, window, strides, padding, channel_axis) as out:
        np.testing.assert_array_equal(np.asarray(out), expected)
    with SumPool(window, strides, padding, channel_axis).forward(x) as out:
        np.testing.assert_array_equal(np.asarray(out), expected)
