"""snn.event_driven's default (exact) solver against a float64 run of the model (event_reference.py),
layer by layer, on a busy network: 200 inputs, three layers, thousands of spikes per sample. Each
layer is given the same input spikes as snn's layer (the output of snn's layer before it) and must
give the same spikes, neuron by neuron, within 1e-5 s: no missed crossing, no spurious spike."""

import numpy as np

import event_reference as ref
from snn.event_driven import ConstantInitializer, SpikeArray, SpikingNetwork

# (n_inputs, n_neurons, tau_s, threshold, weights U(lo, hi))
BUSY = [(200, 100, 0.01, 0.5, -0.3, 0.36), (100, 100, 0.01, 0.5, -0.3, 0.33), (100, 60, 0.008, 0.4, -0.3, 0.33)]


def busy_weights(seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(lo, hi, (n, i)).astype(np.float32) for i, n, _, _, lo, hi in BUSY]


def busy_input(seed, count=2000, n_inputs=200, duration=0.1):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_inputs, count).astype(np.uint32)
    times = (rng.random(count) * duration).astype(np.float32)
    order = np.argsort(times, kind="stable")
    return idx[order], times[order]


def build(weights, compat=None):
    net = SpikingNetwork(compat=compat)
    for (i, n, tau_s, theta, _, _), w in zip(BUSY, weights):
        layer = net.add_fc_layer(i, n, tau_s, theta, ConstantInitializer(0.0))
        layer.weights = w
    return net


def test_exact_solver_matches_the_float64_model_layer_by_layer_on_a_busy_network():
    weights = busy_weights(3)
    net = build(weights)
    for seed in (11, 12):
        idx, times = busy_input(seed)
        net.infer(idx, times)
        inputs = (idx, times)
        for l, (i, n, tau_s, theta, _, _) in enumerate(BUSY):
            out = net[l].post_spikes
            got_idx, got_times = np.asarray(out.indices), np.asarray(out.times)
            expected = ref.layer(weights[l], tau_s, theta, *inputs)
            total = sum(len(s) for s in expected)
            assert total > 2000, f"layer {l} should be busy, has {total} spikes"
            ref.assert_close(expected, ref.per_neuron(got_idx, got_times, n), 1e-5, f"sample {seed}, layer {l}: ")
            np.testing.assert_array_equal(np.asarray(net[l].n_spikes), [len(s) for s in expected])
            assert np.all(np.diff(got_times) >= 0)
            inputs = (got_idx, got_times)


def test_float32_compat_misses_crossings_the_exact_solver_finds():
    weights = busy_weights(3)
    idx, times = busy_input(11)
    exact, compat = build(weights), build(weights, "evspikesim")
    exact.infer(idx, times)
    compat.infer(idx, times)
    assert exact.compat is None and compat.compat == "evspikesim"
    missing = len(exact[2].post_spikes) - len(compat[2].post_spikes)
    assert missing > 300, f"EvSpikeSim's arithmetic should lose whole bursts here, lost {missing} spikes"


def test_weights_far_beyond_the_threshold_fire_like_the_float64_model():
    # w = 1e7 theta, cancelled 1 us later: a dense burst, spikes ~2 ns apart.
    w = np.array([[5e6, -5e6]], dtype=np.float32)
    idx, times = np.array([0, 1], np.uint32), np.array([0.01, 0.010001], np.float32)
    expected = ref.layer(w, 0.01, 0.5, idx, times)
    assert len(expected[0]) > 100
    net = SpikingNetwork()
    net.add_fc_layer(2, 1, 0.01, 0.5, ConstantInitializer(0.0)).weights = w
    out = net.infer(SpikeArray(idx, times))
    ref.assert_close(expected, ref.per_neuron(np.asarray(out.indices), np.asarray(out.times), 1))


def test_unknown_compat_is_refused():
    import pytest
    with pytest.raises(ValueError, match="evspikesim"):
        SpikingNetwork(compat="brian2")
