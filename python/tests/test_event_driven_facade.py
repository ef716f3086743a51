"""snn.evspikesim, EvSpikeSim's API as a thin namespace over snn.event_driven: EvSpikeSim's own demo
script runs with only its import changed, seed-style code gives EvSpikeSim's spikes (compat) on the
same weights, and EvSpikeSim's callback sources compile unchanged through it."""

import contextlib
import io
from pathlib import Path

import numpy as np

import evspikesim_peer
import snn.evspikesim as sim
import snn.event_driven

DEMOS = Path(evspikesim_peer.source_dir()) / "demos"


def test_evspikesims_example_script_runs_with_only_its_import_changed():
    source = (DEMOS / "example.py").read_text()
    assert "import evspikesim as sim" in source
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source.replace("import evspikesim as sim", "import snn.evspikesim as sim"), "example.py", "exec"),
             {"__name__": "__main__"})
    text = out.getvalue()
    assert "Output spikes:" in text and "Output spike counts:" in text


def test_seed_style_code_builds_the_core_types():
    sim.random.set_seed(42)
    assert sim.random.get_seed() == 42 and snn.event_driven.Initializer.seed == 42
    network = sim.SpikingNetwork()
    assert network.compile_path == "/tmp/evspikesim" and network.compat is None
    assert isinstance(network, snn.event_driven.SpikingNetwork)
    init = sim.initializers.UniformInitializer()
    assert (init.lower_bound, init.upper_bound) == (-1.0, 1.0)
    layer = network.add_fc_layer(n_inputs=10, n_neurons=100, tau_s=0.010, threshold=0.1, initializer=init)
    normal = network.add_fc_layer(100, 3, 0.01, 0.5, sim.initializers.NormalInitializer(mean=0.1, stddev=0.5))
    spikes = sim.SpikeArray(np.array([0, 8, 2, 4], np.uint32), np.array([0.010, 0.015, 0.012, 0.011], np.float32))
    spikes.sort()
    out = network.infer(spikes)
    assert len(out) == int(np.asarray(normal.n_spikes).sum()) and len(layer.post_spikes) > 0
    # Same seed, same layers through the core API: same weights and spikes.
    snn.event_driven.Initializer.set_seed(42)
    core = snn.event_driven.SpikingNetwork()
    core.add_fc_layer(10, 100, 0.01, 0.1, snn.event_driven.UniformInitializer(-1.0, 1.0))
    core.add_fc_layer(100, 3, 0.01, 0.5, snn.event_driven.NormalInitializer(0.1, 0.5))
    np.testing.assert_array_equal(np.asarray(core[0].weights), np.asarray(layer.weights))
    assert core.infer(spikes) == out


def test_compat_through_the_facade_is_evspikesim_with_its_stdp_callbacks(tmp_path):
    es = evspikesim_peer.load()
    rng = np.random.default_rng(4)
    w = [rng.uniform(-0.2, 0.6, (12, 40)).astype(np.float32), rng.uniform(-0.2, 0.8, (4, 12)).astype(np.float32)]
    stdp = str(DEMOS / "callbacks" / "STDP.cpp")
    theirs = es.SpikingNetwork(str(tmp_path / "es"))
    ours = sim.SpikingNetwork(str(tmp_path / "snn"), compat="evspikesim")
    for net, mod in ((theirs, es), (ours, sim)):
        net.add_fc_layer_from_source(stdp, 40, 12, 0.01, 0.5, mod.initializers.ConstantInitializer()).weights = w[0]
        net.add_fc_layer(12, 4, 0.01, 0.4, mod.initializers.ConstantInitializer(), buffer_size=8).weights = w[1]
    idx = rng.integers(0, 40, 300).astype(np.uint32)
    times = np.unique((rng.random(300) * 0.1).astype(np.float32))  # distinct times: no tie to order
    idx = idx[:len(times)]
    a, b = theirs.infer(idx.tolist(), times.tolist()), ours.infer(idx, times)
    assert len(a) == len(b) > 0
    for l in range(2):
        ta = sorted((s.time, s.index) for s in theirs[l].post_spikes)
        tb = sorted(zip(np.asarray(ours[l].post_spikes.times).tolist(), np.asarray(ours[l].post_spikes.indices).tolist()))
        assert [(np.float32(t).view(np.uint32), i) for t, i in ta] == [(np.float32(t).view(np.uint32), i) for t, i in tb]
    np.testing.assert_array_equal(np.asarray(ours[0].synaptic_traces).view(np.uint32),
                                  np.asarray(theirs[0].synaptic_traces).view(np.uint32))
    np.testing.assert_array_equal(np.asarray(ours[0].neuron_traces).view(np.uint32),
                                  np.asarray(theirs[0].neuron_traces).view(np.uint32))
