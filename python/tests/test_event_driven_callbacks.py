"""Custom neuron callbacks from Python (EvSpikeSim's add_fc_layer_from_source): the example sources
compile at run time, traces come out as numpy arrays, errors are typed, and reward-modulated STDP
learns a toy task from the traces."""
import os

import numpy as np
import pytest

import snn
from snn.event_driven import (CallbackCompilationException, ConstantInitializer, Initializer, SpikeArray,
                              SpikingNetwork, UniformInitializer)

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples", "event_driven")


def test_an_stdp_layer_fires_like_a_plain_layer_and_exposes_its_traces(tmp_path):
    Initializer.set_seed(8)
    plain = SpikingNetwork()
    plain.add_fc_layer(60, 20, 0.01, 0.5, UniformInitializer(-0.3, 1.0))
    Initializer.set_seed(8)
    net = SpikingNetwork(str(tmp_path))
    layer = net.add_fc_layer_from_source(os.path.join(EXAMPLES, "stdp.cpp"), 60, 20, 0.01, 0.5,
                                         UniformInitializer(-0.3, 1.0))
    assert (layer.synaptic_trace_count, layer.neuron_trace_count) == (2, 1)
    rng = np.random.default_rng(1)
    indices, times = rng.integers(0, 60, 150).astype(np.uint32), (rng.random(150) * 0.05).astype(np.float32)
    ours, theirs = net.infer(indices, times), plain.infer(indices, times)
    assert np.asarray(ours.times).tobytes() == np.asarray(theirs.times).tobytes() and len(ours) > 20
    synaptic, neuron = layer.synaptic_traces, layer.neuron_traces
    assert synaptic.shape == (20, 60, 2) and neuron.shape == (20, 1) and synaptic.dtype == np.float32
    counts = np.bincount(indices, minlength=60)
    assert (synaptic[..., 0] <= counts + 1e-6).all() and synaptic[..., 0].max() > 0   # decaying pre traces
    assert np.abs(synaptic[..., 1]).sum() > 1.0                                          # STDP eligibility
    fired = np.asarray(layer.n_spikes) > 0
    assert (neuron[fired, 0] > 0).all() and (neuron[~fired, 0] == 0).all()


def test_bad_sources_raise_typed_errors(tmp_path):
    net = SpikingNetwork(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        net.add_fc_layer_from_source(str(tmp_path / "missing.cpp"), 3, 2, 0.01, 0.5, ConstantInitializer())
    broken = tmp_path / "broken.cpp"
    broken.write_text("#include <snn/event_callbacks.h>\nint main( {\n")
    with pytest.raises(CallbackCompilationException) as info:
        net.add_fc_layer_from_source(str(broken), 3, 2, 0.01, 0.5, ConstantInitializer())
    assert isinstance(info.value, ValueError)
    assert "broken.cpp" in info.value.compiler_output and "error" in info.value.compiler_output
    assert "The compiler said:" in str(info.value)
    assert len(net) == 0


def test_reward_modulated_stdp_learns_a_toy_task(tmp_path):
    """Two classes (inputs 0-19 or 20-39 fire once in 20 ms, plus noise); the two output neurons learn
    from eligibility x reward (target - spike count) to answer their class with more spikes."""
    Initializer.set_seed(3)
    net = SpikingNetwork(str(tmp_path))
    out = net.add_fc_layer_from_source(os.path.join(EXAMPLES, "stdp.cpp"), 40, 2, 0.01, 0.5,
                                       UniformInitializer(0.0, 0.4))
    rng = np.random.default_rng(0)

    def sample(label):
        idx = np.concatenate([np.arange(20 * label, 20 * label + 20), rng.integers(0, 40, 5)]).astype(np.uint32)
        spikes = SpikeArray(idx, rng.uniform(0, 0.02, len(idx)).astype(np.float32))
        spikes.sort()
        return spikes

    def accuracy():
        hits = 0
        for k in range(100):
            net.infer(sample(k % 2))
            counts = np.asarray(out.n_spikes)
            hits += int(counts[k % 2] > counts[1 - k % 2])
        return hits / 100

    before = accuracy()
    for _ in range(300):
        label = int(rng.integers(0, 2))
        net.infer(sample(label))
        target = np.where(np.arange(2) == label, 5.0, 0.0).astype(np.float32)
        error = target - np.asarray(out.n_spikes).astype(np.float32)
        out.weights += np.float32(0.002) * out.synaptic_traces[..., 1] * error[:, None]
    after = accuracy()
    assert before < 0.7 and after > 0.95, (before, after)
