"""A Spyx user's network, written as Spyx's users write it (spyx.nn's class names, hidden_shape tuples, beta=None
or a number or per-neuron arrays, activation naming a surrogate) with only the import changed: `import spyx.nn as
snn` becomes `import snn.spyx as nn`. Checked against a float32 numpy reference of Spyx's equations (spike from the
state before the input, reset by subtraction), and against the core API (snn.neurons) on the same configuration."""
import numpy as np
import pytest

import snn
import snn.spyx as nn
from snn.connections import Linear
from snn.networks import Sequential
from snn.neurons import NeuronKind, NeuronModel, Population

f32 = np.float32
T, B, N_IN, H, C = 30, 3, 6, 5, 2


def dyadic(rng, shape):
    """Multiples of 1/8 in [-1, 1]: every sum and every product by 0.5 stays exact in float32."""
    return (rng.integers(-8, 9, shape) / 8).astype(f32)


def lif_reference(x, beta, theta):
    """Spyx's LIF over x [T, B, N]: s = H(V - theta) from the state before the step; V' = beta V + x - s theta."""
    v = np.zeros(x.shape[1:], f32)
    spikes = np.zeros_like(x)
    for t in range(x.shape[0]):
        s = (v > theta).astype(f32)
        v = beta * v + x[t] - s * theta
        spikes[t] = s
    return spikes


def li_reference(x, beta):
    v = np.zeros(x.shape[1:], f32)
    out = np.zeros_like(x)
    for t in range(x.shape[0]):
        v = beta * v + x[t]
        out[t] = v
    return out


def run(layer, x):
    with layer.forward(np.ascontiguousarray(x, dtype=f32)) as out:
        return np.array(out.values)


def test_a_spyx_network_matches_the_equations():
    rng = np.random.default_rng(3)
    w1, w2 = dyadic(rng, (N_IN, H)), dyadic(rng, (H, C))
    x = (rng.random((T, B, N_IN)) < 0.4).astype(f32)
    # Spyx: hk.DeepRNN([hk.Linear(H, with_bias=False), snn.LIF((H,), beta=0.5, activation=...),
    #                   hk.Linear(C, with_bias=False), snn.LI((C,), beta=0.5)]), unrolled time-major.
    fc1, fc2 = Linear(N_IN, H, name="fc1"), Linear(H, C, name="fc2")
    fc1.weight.copy_from(np.ascontiguousarray(w1.T))
    fc2.weight.copy_from(np.ascontiguousarray(w2.T))
    with Sequential(fc1, nn.LIF((H,), beta=0.5, activation="superspike"), fc2, nn.LI((C,), beta=0.5)) as net:
        net.record("LIF.output")
        readout = run(net, x)
        hidden = np.array(net.recorded["LIF.output"])
    expected_hidden = lif_reference(x @ w1, f32(0.5), f32(1.0))
    np.testing.assert_array_equal(hidden, expected_hidden)
    assert 0 < hidden.sum() < hidden.size
    np.testing.assert_array_equal(readout, li_reference(expected_hidden @ w2, f32(0.5)))
    assert readout.shape == (T, B, C)


@pytest.mark.parametrize("make,kind,extra", [
    (lambda: nn.IF((H,), threshold=0.75), NeuronKind.IF, dict(threshold=0.75)),
    (lambda: nn.LIF((H,), seed=4), NeuronKind.LIF, dict(seed=4)),
    (lambda: nn.LI((H,)), NeuronKind.LI, dict()),
    (lambda: nn.ALIF((H,), beta=0.9, gamma=None, seed=5), NeuronKind.ALIF, dict(beta=0.9, seed=5)),
    (lambda: nn.CuBaLIF((H,), alpha=0.7, beta=None, seed=6), NeuronKind.CUBA_LIF, dict(alpha=0.7, seed=6)),
    (lambda: nn.RIF((H,), seed=7), NeuronKind.IF, dict(recurrent=True, seed=7)),
    (lambda: nn.RLIF((H,), beta=0.8, seed=8), NeuronKind.LIF, dict(beta=0.8, recurrent=True, seed=8)),
    (lambda: nn.RCuBaLIF((H,), seed=9), NeuronKind.CUBA_LIF, dict(recurrent=True, seed=9)),
])
def test_each_spyx_neuron_is_the_core_population_configured_alike(make, kind, extra):
    x = np.random.default_rng(5).normal(0.4, 0.8, (T, B, H)).astype(f32)
    with make() as spyx_layer, Population(NeuronModel.create(kind, H, **extra)) as core:
        assert sorted(spyx_layer.parameters.keys()) == sorted(core.parameters.keys())
        for name in spyx_layer.parameters.keys():
            np.testing.assert_array_equal(np.array(spyx_layer.parameters[name]), np.array(core.parameters[name]))
        np.testing.assert_array_equal(run(spyx_layer, x), run(core, x))
        assert spyx_layer.type_name == "Population"


def test_conv_shaped_population_with_per_neuron_decays():
    shape = (4, 3, 2)  # Spyx's conv layers are NHWC: hidden_shape (H, W, C)
    beta = np.random.default_rng(6).choice([0.25, 0.5, 0.75], shape).astype(f32)
    x = dyadic(np.random.default_rng(7), (T, B) + shape) * 2
    with nn.LIF(shape, beta=beta, threshold=1.0) as lif:
        assert list(lif.hidden_shape) == list(shape) and lif.name == "LIF"
        np.testing.assert_array_equal(np.array(lif.parameters["beta"]), beta.ravel())
        out = run(lif, x)
    assert out.shape == (T, B) + shape
    np.testing.assert_array_equal(out, lif_reference(x, beta, f32(1.0)))
    with pytest.raises(snn.SnnArgumentException, match="one value per neuron"):
        nn.LIF(shape, beta=np.full(5, 0.5, f32))


def test_activation_names_a_spyx_surrogate_and_initial_state_is_zero():
    for name in ("superspike", "arctan", "tanh", "boxcar", "triangular"):
        with nn.LIF((3,), activation=name) as lif:
            assert lif.activation == name
    with pytest.raises(snn.SnnArgumentException, match="not one of Spyx's surrogates"):
        nn.LIF((3,), activation="relu")
    with nn.RCuBaLIF((H,)) as cell, cell.initial_state(4) as state:
        assert np.array(state.membrane).shape == (4, H) and not np.array(state.current).any()
        assert np.array(cell.parameters["recurrent_weight"]).shape == (H, H)


def test_helpers_live_in_the_facade():
    spikes = np.ones((3, 2, 6), f32)
    with nn.ActivityRegularization() as reg:
        reg.accumulate(spikes)
        np.testing.assert_array_equal(np.array(reg.spike_count), np.full((2, 6), 3, f32))
    with nn.PopulationCode(3).forward(spikes[0]) as coded:
        np.testing.assert_array_equal(np.array(coded), np.full((2, 3), 2, f32))
    with nn.Functions.sum_pool(np.ones((1, 4, 4, 1), f32), 2, 2, "VALID") as pooled:
        np.testing.assert_array_equal(np.array(pooled), np.full((1, 2, 2, 1), 4, f32))


def test_a_core_steps_as_haiku_calls_it():
    """Spyx's cores are called one step at a time, `spikes, V = core(x, V)`, from `core.initial_state(batch)`."""
    x = dyadic(np.random.default_rng(8), (T, B, H)) * 2
    with nn.LIF((H,), beta=0.5) as lif:
        V = lif.initial_state(B)
        steps = []
        for t in range(T):
            spikes, V = lif(x[t], V)
            steps.append(np.array(spikes))
        whole = run(lif, x)  # the layer's own state is untouched by the step calls
    np.testing.assert_array_equal(np.stack(steps), whole)
    np.testing.assert_array_equal(whole, lif_reference(x, f32(0.5), f32(1.0)))
    with pytest.raises(snn.SnnArgumentException, match="takes one step"):
        nn.LIF((H,))(x, nn.LIF((H,)).initial_state(B))
    pool = nn.SumPool(2, 2, "VALID")
    np.testing.assert_array_equal(np.array(pool(np.ones((1, 4, 4, 1), f32))), np.full((1, 2, 2, 1), 4, f32))
    np.testing.assert_array_equal(np.array(nn.PopulationCode(2)(np.ones((3, 4), f32))), np.full((3, 2), 2, f32))
    assert nn.ActivityRegularization().name == "ActReg"


def test_unroll_takes_haikus_batch_major_layout():
    """hk.dynamic_unroll(core, x, state, time_major=False) users pass x [B, T, ...]: unroll(x, time_major=False) gives
    the outputs [B, T, ...], the time-major run's transposed, and the state carries over as in one long run."""
    x = dyadic(np.random.default_rng(9), (T, B, C, H)) * 2
    batch_major = np.ascontiguousarray(x.transpose(1, 0, 2, 3))
    with nn.LIF((C, H), beta=0.5) as lif:
        with lif.unroll(np.ascontiguousarray(batch_major[:, :12]), time_major=False) as first, \
                lif.unroll(np.ascontiguousarray(batch_major[:, 12:]), time_major=False) as rest:
            got = np.concatenate([np.array(first), np.array(rest)], axis=1)
        with lif.unroll(batch_major, time_major=False) as again:   # the state continues from the first 30 steps
            continued = np.array(again)
        lif.reset_state()
        with lif.unroll(x) as whole:                                # time-major, Haiku's default
            time_major = np.array(whole)
    want = lif_reference(x.reshape(T, B, C * H), f32(0.5), f32(1.0)).reshape(T, B, C, H)
    assert want.any()
    np.testing.assert_array_equal(time_major, want)
    np.testing.assert_array_equal(got, want.transpose(1, 0, 2, 3))
    twice = lif_reference(np.concatenate([x, x]).reshape(2 * T, B, C * H), f32(0.5), f32(1.0)).reshape(2 * T, B, C, H)
    np.testing.assert_array_equal(continued, twice[T:].transpose(1, 0, 2, 3))
    with nn.LIF((H,)) as lif, pytest.raises(snn.SnnArgumentException, match="takes float32"):
        lif.unroll(np.zeros((B, T, H + 1), f32), time_major=False)
