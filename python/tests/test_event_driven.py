"""snn.event_driven (EvSpikeSim's API) through the bridge: spike arrays and numpy, networks, layers,
weights as a live numpy view, seeded initializers, batching, errors. The simulator is checked against
an independent numpy reference written from the model's membrane formula (docs/event-driven.md):

    u_i(t) = sum_j w_ij sum_{t_j < t} (exp(-(t - t_j)/tau) - exp(-(t - t_j)/tau_s))
             - theta * sum_{t_i < t} exp(-(t - t_i)/tau),        tau = 2 tau_s
"""

import numpy as np
import pytest

import snn
from snn.event_driven import (ConstantInitializer, FcLayer, Initializer, NormalInitializer, Spike, SpikeArray,
                              SpikingNetwork, UniformInitializer)


def random_input(count, n_inputs, duration, seed):
    rng = np.random.default_rng(seed)
    return (rng.integers(0, n_inputs, count).astype(np.uint32),
            (rng.random(count) * duration).astype(np.float32))


def sorted_array(indices, times):
    spikes = SpikeArray(indices, times)
    spikes.sort()
    return spikes


def two_layers(buffer_size=64, device=None):
    """60 -> 40 -> 8 with a strong but realistic drive (hidden neurons fire up to ~40 times in 50 ms)."""
    Initializer.set_seed(21)
    net = SpikingNetwork(device=device)
    net.add_fc_layer(60, 40, 0.01, 0.5, UniformInitializer(-1.0, 1.0), buffer_size)
    net.add_fc_layer(40, 8, 0.005, 0.5, UniformInitializer(-0.3, 0.6), buffer_size)
    return net


# ----- the numpy reference -------------------------------------------------------------------------

def membrane(w, tau_s, theta, in_idx, in_times, own, t):
    """u of every neuron on the grid t [T] given input spikes and each neuron's own spikes (list of arrays)."""
    tau = 2.0 * tau_s
    t = np.asarray(t, dtype=np.float64)[:, None]
    age = t - np.asarray(in_times, dtype=np.float64)[None, :]                       # [T, S]
    kernel = np.where(age > 0, np.exp(-np.maximum(age, 0) / tau) - np.exp(-np.maximum(age, 0) / tau_s), 0.0)
    u = kernel @ np.asarray(w, dtype=np.float64)[:, in_idx].T                       # [T, N]
    for i, spikes in enumerate(own):
        if len(spikes):
            a = t - np.asarray(spikes, dtype=np.float64)[None, :]
            u[:, i] -= theta * np.where(a > 0, np.exp(-np.maximum(a, 0) / tau), 0.0).sum(axis=1)
    return u


def fine_step_simulation(w, tau_s, theta, in_idx, in_times, dt, end):
    """Exponential traces of the formula stepped on a grid of dt; a spike at the linearly interpolated
    crossing of theta between two grid points, whose reset counts from then on."""
    tau = 2.0 * tau_s
    w = np.asarray(w, dtype=np.float64)
    n = w.shape[0]
    slow, fast, resets, previous = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    in_times = np.asarray(in_times, dtype=np.float64)
    spikes, nxt = [], 0
    for k in range(1, int(np.ceil(end / dt)) + 1):
        t = k * dt
        slow *= np.exp(-dt / tau)
        fast *= np.exp(-dt / tau_s)
        resets *= np.exp(-dt / tau)
        while nxt < len(in_times) and in_times[nxt] < t:
            age = t - in_times[nxt]
            slow += w[:, in_idx[nxt]] * np.exp(-age / tau)
            fast += w[:, in_idx[nxt]] * np.exp(-age / tau_s)
            nxt += 1
        u = slow - fast - theta * resets
        for i in np.nonzero((u >= theta) & (previous < theta))[0]:
            crossing = t - dt * (u[i] - theta) / (u[i] - previous[i])
            spikes.append((int(i), crossing))
            resets[i] += np.exp(-(t - crossing) / tau)
            u[i] = slow[i] - fast[i] - theta * resets[i]
        previous = u
    return sorted(spikes, key=lambda s: s[1])


def layers_with_inputs(net, spikes):
    """(layer, its input indices, its input times) for every layer, from the last inference."""
    idx, times = np.asarray(spikes.indices), np.asarray(spikes.times)
    for layer in net:
        yield layer, idx, times
        idx, times = np.asarray(layer.post_spikes.indices), np.asarray(layer.post_spikes.times)


# ----- tests -----------------------------------------------------------------------------------------

def test_spikes_match_a_fine_time_step_simulation_of_the_formula():
    net = two_layers()
    inputs = sorted_array(*random_input(200, 60, 0.05, 1))
    net.infer(inputs)
    dt = 1e-5
    for layer, idx, times in layers_with_inputs(net, inputs):
        ours = list(zip(np.asarray(layer.post_spikes.indices).tolist(), np.asarray(layer.post_spikes.times).tolist()))
        assert len(ours) > 10, f"layer {layer.index} should fire"
        reference = fine_step_simulation(layer.weights, layer.tau_s, layer.threshold, idx, times, dt, 0.12)
        assert len(reference) == len(ours)
        for index, time in ours:
            match = next((r for r in reference if r[0] == index and abs(r[1] - time) <= dt), None)
            assert match is not None, f"layer {layer.index}: spike ({index}, {time}) has no reference spike within {dt} s"
            reference.remove(match)


def test_every_spike_sits_on_the_threshold_and_no_crossing_is_missed():
    net = two_layers()
    inputs = sorted_array(*random_input(200, 60, 0.05, 2))
    net.infer(inputs)
    for layer, idx, times in layers_with_inputs(net, inputs):
        out_idx, out_t = np.asarray(layer.post_spikes.indices), np.asarray(layer.post_spikes.times).astype(np.float64)
        own = [out_t[out_idx == i] for i in range(layer.n_neurons)]
        for i in range(layer.n_neurons):
            if len(own[i]):   # just before each spike (own spikes strictly earlier), u is the threshold
                u = membrane(layer.weights, layer.tau_s, layer.threshold, idx, times, own, own[i])[:, i]
                np.testing.assert_allclose(u, layer.threshold, atol=1e-4, rtol=0)
        grid = np.arange(0, 0.1, 2e-5)
        u = membrane(layer.weights, layer.tau_s, layer.threshold, idx, times, own, grid)
        assert u.max() < layer.threshold + 1e-4, "the membrane rose above the threshold without a spike"
        assert u.max() > layer.threshold - 0.05, "the grid should come close to the threshold"


def test_same_spikes_for_every_buffer_size_thread_count_and_batch_split():
    samples = [sorted_array(*random_input(60 + 40 * s, 60, 0.05, 10 + s)) for s in range(4)]
    samples.insert(1, SpikeArray())
    one = two_layers()
    expected = []
    for s in samples:
        out = one.infer(s)
        expected.append((np.asarray(one[0].post_spikes.times), np.asarray(out.indices), np.asarray(out.times)))
    assert any(len(e[1]) for e in expected)
    for threads in (1, 2):
        for buffer_size in (1, 2, 64):
            with snn.Device.cpu(threads) as device, two_layers(buffer_size, device) as net:
                outputs = net.infer_batch(samples)
                assert net.batch_size == len(samples)
                for s, (hidden_times, out_idx, out_times) in enumerate(expected):
                    np.testing.assert_array_equal(np.asarray(outputs[s].indices), out_idx)
                    assert np.asarray(outputs[s].times).tobytes() == out_times.tobytes()
                    assert np.asarray(net[0].get_post_spikes(s).times).tobytes() == hidden_times.tobytes()


def test_spike_arrays_from_numpy_and_lists():
    spikes = SpikeArray(np.array([3, 1, 2], dtype=np.uint32), np.array([0.1, 0.2, 0.2], dtype=np.float32))
    assert len(spikes) == 3 and spikes.n_spikes == 3 and spikes.is_sorted()
    assert spikes[1] == Spike(1, 0.2) and spikes[1].index == 1
    assert [s.index for s in spikes] == [3, 1, 2]
    spikes.add(0, 0.05)
    spikes.add([7, 8], [0.3, 0.4])
    assert not spikes.is_sorted()
    spikes.sort()
    assert spikes.is_sorted()
    np.testing.assert_array_equal(np.asarray(spikes.indices), [0, 3, 1, 2, 7, 8])
    assert np.asarray(spikes.times).dtype == np.float32
    assert spikes == SpikeArray([0, 3, 1, 2, 7, 8], [0.05, 0.1, 0.2, 0.2, 0.3, 0.4])
    assert spikes != SpikeArray([0, 3, 2, 1, 7, 8], [0.05, 0.1, 0.2, 0.2, 0.3, 0.4])   # indices count
    assert Spike(4, 1.0) == Spike(4, 1.0 + 5e-7) and Spike(4, 1.0) != Spike(5, 1.0)
    spikes.clear()
    assert len(spikes) == 0
    # Wrong dtypes are refused by the bridge (no overload fits), with the conversion to make.
    with pytest.raises(TypeError, match=r"expected a C-contiguous uint32 array.*numpy.ascontiguousarray\(x, dtype=numpy.uint32\)"):
        SpikeArray(np.array([1, 2], dtype=np.int64), np.array([0.1, 0.2], dtype=np.float32))
    with pytest.raises(TypeError, match="expected a C-contiguous float32 array"):
        SpikeArray(np.array([1, 2], dtype=np.uint32), np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="indices has 2 entries but times has 1"):
        SpikeArray([1, 2], [0.1])
    with pytest.raises(ValueError, match="time NaN"):
        SpikeArray([1], [float("nan")])


def test_network_layers_and_the_live_weight_view():
    Initializer.set_seed(5)
    net = SpikingNetwork()
    assert net.compile_path == SpikingNetwork.default_compile_path == "/tmp/snn-evspikesim"
    layer = net.add_fc_layer(10, 5, tau_s=0.01, threshold=0.5, initializer=ConstantInitializer())
    assert isinstance(layer, FcLayer) and len(net) == 1 and net[0].index == 0
    assert (layer.n_inputs, layer.n_neurons, layer.threshold, layer.buffer_size) == (10, 5, 0.5, 64)
    assert layer.tau_s == np.float32(0.01) and layer.tau == np.float32(0.02)
    assert net.output_layer.index == 0 and [l.index for l in net] == [0]
    inputs = sorted_array(*random_input(40, 10, 0.05, 3))
    assert len(net.infer(inputs)) == 0
    w = layer.weights
    assert isinstance(w, np.ndarray) and w.shape == (5, 10) and w.dtype == np.float32
    w[2, 3] = 3.0                                       # a view: the simulator reads this memory
    out = net.infer(inputs)
    assert len(out) > 0 and {s.index for s in out} == {2}
    counts = layer.n_spikes
    assert counts.dtype == np.uint32 and counts.tolist() == [0, 0, len(out), 0, 0]
    layer.weights = np.zeros((5, 10), dtype=np.float32)  # the setter copies into the same memory
    assert len(net.infer(inputs)) == 0 and w[2, 3] == 0.0
    with pytest.raises(snn.SnnArgumentException, match=r"needs weights \[n_neurons, n_inputs\] = \[5, 10\], got \[10, 5\]"):
        layer.weights = np.zeros((10, 5), dtype=np.float32)
    with pytest.raises(ValueError, match="float32"):
        layer.weights = np.zeros((5, 10))


def test_seeded_initializers_are_reproducible_and_follow_their_distributions():
    Initializer.set_seed(77)
    assert Initializer.seed == 77
    a = SpikingNetwork()
    u = a.add_fc_layer(200, 100, 0.01, 0.5, UniformInitializer(lower_bound=-0.07, upper_bound=0.07)).weights.copy()
    n = a.add_fc_layer(100, 300, 0.01, 0.5, NormalInitializer(mean=0.5, stddev=2.0)).weights
    c = a.add_fc_layer(300, 4, 0.01, 0.5, ConstantInitializer(value=0.25)).weights
    assert u.min() >= -0.07 and u.max() <= 0.07 and (c == 0.25).all()
    assert abs(n.mean() - 0.5) < 0.05 and abs(n.std() - 2.0) < 0.05
    # Uniform weights are lower + (upper - lower) * u over the Philox stream (seed, stream 0), in double
    # precision from the float32 bounds and rounded once (snn_random_fill, snn/random.h).
    stream = snn.Tensor.zeros([200 * 100])
    snn.Philox.uniform(stream, 77, 0)
    lo, hi = np.float64(np.float32(-0.07)), np.float64(np.float32(0.07))
    expected = (lo + (hi - lo) * np.asarray(stream).astype(np.float64)).astype(np.float32).reshape(100, 200)
    assert expected.tobytes() == u.tobytes()
    Initializer.set_seed(77)
    b = SpikingNetwork()
    assert b.add_fc_layer(200, 100, 0.01, 0.5, UniformInitializer(-0.07, 0.07)).weights.tobytes() == u.tobytes()
    with pytest.raises(snn.SnnArgumentException, match="swap them"):
        UniformInitializer(1.0, -1.0)
    with pytest.raises(ValueError, match="stddev must be >= 0"):
        NormalInitializer(0.0, -1.0)


def test_bad_inputs_and_layers_raise_typed_errors_that_say_what_to_do():
    net = two_layers()
    unsorted = SpikeArray([1, 2, 3], [0.02, 0.01, 0.03])
    with pytest.raises(snn.SnnArgumentException, match=r"spike 1 at 0.01 s comes after spike 0 at 0.02 s.*call Sort\(\)"):
        net.infer(unsorted)
    out = net.infer([3, 1, 2], [0.02, 0.01, 0.03])   # indices and times: sorted for you
    assert isinstance(out, SpikeArray)
    with pytest.raises(ValueError, match="has index 60 but the first layer has 60 inputs"):
        net.infer([60], [0.01])
    with pytest.raises(ValueError, match="spike 0 has time -0.5"):
        net.infer([1], [-0.5])
    with pytest.raises(ValueError, match="time NaN"):
        net.infer([1], [float("nan")])
    with pytest.raises(snn.SnnArgumentException, match="layer 2 would have nInputs = 5 but layer 1 has 8 neurons"):
        net.add_fc_layer(5, 3, 0.01, 0.5, ConstantInitializer())
    with pytest.raises(snn.SnnArgumentException, match="tau_s must be finite and > 0"):
        net.add_fc_layer(8, 3, 0.0, 0.5, ConstantInitializer())
    with pytest.raises(snn.SnnArgumentException, match="threshold must be finite and > 0"):
        net.add_fc_layer(8, 3, 0.01, float("nan"), ConstantInitializer())
    with pytest.raises(TypeError):
        net.add_fc_layer(8, 3, 0.01, 0.5, "uniform")
    assert len(net) == 2
    net.infer_batch([SpikeArray(), sorted_array(*random_input(50, 60, 0.05, 4))])
    with pytest.raises(RuntimeError, match=r"GetPostSpikes\(sample\)"):
        net[0].post_spikes
    with pytest.raises(RuntimeError, match="add one with AddFcLayer"):
        SpikingNetwork().infer(SpikeArray())
    net.dispose()
    with pytest.raises(snn.clr.ObjectDisposedException):
        net.infer(SpikeArray())
