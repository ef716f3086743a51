"""The Python half of the event-driven C#/Python scenario (docs/event-driven.md): the recipe of
dotnet/Snn.Tests/EventDriven/EventScenarioTests.cs through the Python API; every array must be
identical byte for byte to the files the C# run wrote under $SNN_SCENARIO_OUT/csharp/event_three_layers."""
import os

import numpy as np

import snn
from snn.event_driven import ConstantInitializer, Initializer, NormalInitializer, SpikeArray, SpikingNetwork, UniformInitializer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.environ.get("SNN_SCENARIO_OUT") or os.path.join(ROOT, "tests", "out")
SEED, INPUTS, SPIKES, BATCH = 1234, 100, 200, 4


def sample(s):
    """Philox.uniform (seed, offset 4000 + s) of 400 numbers: index floor(100 u[2k]), time 0.1 u[2k+1], unsorted."""
    u = snn.Tensor.zeros([2 * SPIKES])
    snn.Philox.uniform(u, SEED, 4000 + s)
    u = np.asarray(u)
    return (u[0::2] * np.float32(INPUTS)).astype(np.uint32), np.float32(0.1) * u[1::2]


def test_event_driven_python_matches_csharp_bit_for_bit():
    Initializer.set_seed(SEED)
    net = SpikingNetwork()
    net.add_fc_layer(INPUTS, 64, 0.01, 0.5, UniformInitializer(-1.0, 1.0))
    net.add_fc_layer(64, 32, 0.008, 0.4, NormalInitializer(0.05, 0.25))
    net.add_fc_layer(32, 10, 0.01, 0.5, ConstantInitializer(0.3))
    files = {f"w{l}": net[l].weights for l in range(len(net))}

    output = net.infer(*sample(0))
    assert len(output) > 0, "the scenario should make the output layer fire"
    for l in range(len(net)):
        files[f"l{l}_indices"] = np.asarray(net[l].post_spikes.indices)
        files[f"l{l}_times"] = np.asarray(net[l].post_spikes.times)
        files[f"l{l}_counts"] = np.asarray(net[l].n_spikes)

    batch = []
    for s in range(BATCH):
        spikes = SpikeArray(*sample(s))
        spikes.sort()
        batch.append(spikes)
    outputs = net.infer_batch(batch)
    assert np.asarray(outputs[0].times).tobytes() == np.asarray(output.times).tobytes()
    for s in range(BATCH):
        for l in range(len(net)):
            files[f"b{s}_l{l}_indices"] = np.asarray(net[l].get_post_spikes(s).indices)
            files[f"b{s}_l{l}_times"] = np.asarray(net[l].get_post_spikes(s).times)

    folder = os.path.join(OUT, "python", "event_three_layers")
    os.makedirs(folder, exist_ok=True)
    for name, array in files.items():
        assert array.dtype in (np.float32, np.uint32), name
        np.ascontiguousarray(array).tofile(os.path.join(folder, name + ".bin"))

    csharp = os.path.join(OUT, "csharp", "event_three_layers")
    assert os.path.isdir(csharp), f"{csharp} is missing: run the C# tests first (dotnet test Bindings.sln) with the same SNN_SCENARIO_OUT"
    assert sorted(os.listdir(csharp)) == sorted(name + ".bin" for name in files)
    for name, array in files.items():
        with open(os.path.join(csharp, name + ".bin"), "rb") as f:
            assert f.read() == np.ascontiguousarray(array).tobytes(), f"event_three_layers/{name}: C# and Python differ"
