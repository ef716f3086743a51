"""Networks from Python: Sequential and Graph (merges, recurrence) against numpy references written from the
equations, streaming, recording, save/load, errors, and C#/Python parity of saved files (the C# side is
dotnet/Snn.Tests/Networks/NetworkParityTests.cs, which must run first with the same SNN_SCENARIO_OUT).

The LIF populations use beta = 0.5, threshold 1 and dyadic inputs, so every value is exact in float32 and the
references must match bit for bit."""
import os

import numpy as np
import pytest

import snn
from snn.networks import Graph, GraphBuilder, Layer, NetworkFileException, Sequential
from snn.neurons import NeuronKind, Population, NeuronModel, ResetMode, SpikeTiming

from parity import OUT

T, B, N = 40, 3, 8


def lif(name, size=N):
    model = NeuronModel(NeuronKind.LIF, size, 1.0, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT)
    model.beta = 0.5
    return Population(model, name)


def lif_reference(current, v=None):
    """V' = 0.5 V + I; s = V' > 1; V' -= s, step by step."""
    v = np.zeros(current.shape[1:], np.float32) if v is None else v.copy()
    spikes, membrane = np.zeros_like(current), np.zeros_like(current)
    for t in range(current.shape[0]):
        v = np.float32(0.5) * v + current[t]
        membrane[t] = v
        spikes[t] = v > 1
        v = v - spikes[t]
    return spikes, membrane, v


def dyadic_input(seed, shape=(T, B, N)):
    return (np.random.default_rng(seed).integers(0, 14, size=shape) / 8).astype(np.float32)


def test_sequential_matches_equations_records_and_streams():
    x = dyadic_input(1)
    with Sequential(lif("a"), lif("b")) as net:
        net.record("a.output", "b.membrane")
        out = net.forward(x)
        s1, _, _ = lif_reference(x)
        s2, m2, _ = lif_reference(s1)
        np.testing.assert_array_equal(np.asarray(out.values), s2)
        np.testing.assert_array_equal(np.asarray(net.recorded["a.output"]), s1)
        np.testing.assert_array_equal(np.asarray(net.recorded["b.membrane"]), m2)
        assert 0 < s1.sum() < s1.size
        net.reset_state()
        first = np.asarray(net.forward(x[:17]).values)
        second = np.asarray(net.forward(x[17:]).values)
        np.testing.assert_array_equal(np.concatenate([first, second]), s2)


def test_graph_merges_by_summing_and_recurrence_feeds_the_next_step():
    x = dyadic_input(2)
    with GraphBuilder([N]).add(lif("a"), "input").add(lif("b"), "input").add(lif("c"), "a", "b").build() as graph:
        sa, _, _ = lif_reference(x)
        sc, _, _ = lif_reference(sa + sa)  # a and b are identical populations on the same input
        np.testing.assert_array_equal(np.asarray(graph.forward(x).values), sc)

    builder = GraphBuilder([N]).add(lif("a")).add(lif("b")).add_recurrent("b", "a")
    with builder.build(output="b") as graph:
        graph.record("a.membrane")
        out = np.concatenate([np.asarray(graph.forward(x[:9]).values), np.asarray(graph.forward(x[9:]).values)])
        va, vb = np.zeros((B, N), np.float32), np.zeros((B, N), np.float32)
        sb_prev = np.zeros((B, N), np.float32)
        expected, membrane_a = np.zeros_like(x), np.zeros_like(x)
        for t in range(T):  # a gets x + b's spikes of the previous step; b gets a's spikes
            va = np.float32(0.5) * va + (x[t] + sb_prev)
            membrane_a[t] = va
            sa = (va > 1).astype(np.float32)
            va -= sa
            vb = np.float32(0.5) * vb + sa
            sb_prev = (vb > 1).astype(np.float32)
            vb -= sb_prev
            expected[t] = sb_prev
        np.testing.assert_array_equal(out, expected)
        np.testing.assert_array_equal(np.asarray(graph.recorded["a.membrane"]), membrane_a[9:])
        assert expected.sum() > 5


def test_save_and_load_round_trip_in_python(tmp_path):
    x = dyadic_input(3)
    path = str(tmp_path / "net.snn")
    with Sequential(lif("a"), lif("b")) as net:
        net.forward(x[:20])
        net.save(path)
        expected = np.asarray(net.forward(x[20:]).values)
    with Layer.load(path) as loaded:
        assert isinstance(loaded, Sequential)
        assert [layer.name for layer in loaded.layers] == ["a", "b"]
        state = dict(loaded.state)  # .NET dictionaries are Python mappings
        assert sorted(state) == ["a.membrane", "b.membrane"] and "a.membrane" in loaded.state
        assert [k for k, _ in loaded.state.items()] == list(loaded.state.keys())
        assert loaded.state.get("nothing") is None
        np.testing.assert_array_equal(np.asarray(loaded.forward(x[20:]).values), expected)


def test_to_moves_a_network_with_its_state():
    x = dyadic_input(5)
    with Sequential(lif("a"), lif("b")) as net, snn.Device.cpu(2) as device:
        net.forward(x[:20])
        with net.to(device) as moved:
            assert moved.device == device and moved.device != net.device
            assert sorted(moved.state.keys()) == ["a.membrane", "b.membrane"]
            expected = np.asarray(net.forward(x[20:]).values)
            with snn.Tensor.from_array(np.ascontiguousarray(x[20:]), device=device) as rest:
                np.testing.assert_array_equal(np.asarray(moved.forward(rest).values), expected)
    spikes, _, _ = lif_reference(lif_reference(x)[0])
    np.testing.assert_array_equal(expected, spikes[20:])


def test_network_saved_by_csharp_runs_identically_in_python(tmp_path):
    folder = os.path.join(OUT, "csharp", "networks")
    assert os.path.isdir(folder), f"{folder} is missing: run the C# tests first (dotnet test Bindings.sln) with the same SNN_SCENARIO_OUT"
    steps, batch, n = 24, 2, 9
    x = np.fromfile(os.path.join(folder, "input.bin"), np.float32).reshape(steps, batch, n)
    expected = np.fromfile(os.path.join(folder, "output.bin"), np.float32)
    with Layer.load(os.path.join(folder, "graph.snn")) as graph:
        assert isinstance(graph, Graph)
        assert "merge.last_output" in graph.state
        out = np.asarray(graph.forward(np.ascontiguousarray(x[steps // 2:])).values)
        assert out.tobytes() == expected.tobytes()
        graph.reset_state()
        path = str(tmp_path / "again.snn")
        graph.save(path)  # Python writes, C# code reads: the same loader
    with Layer.load(path) as again:
        assert isinstance(again, Graph)


def test_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match=r"layer 0 \(a\) outputs \[8\].*layer 1 \(b\) takes \[5\]"):
        Sequential(lif("a"), lif("b", size=5))
    with pytest.raises(ValueError, match="not in the graph yet"):
        GraphBuilder([N]).add(lif("a"), "nowhere")
    with Sequential(lif("a")) as net:
        with pytest.raises(ValueError, match=r"takes float32 \[time, batch, 8\]"):
            net.forward(np.zeros((T, B, N + 1), np.float32))
        with pytest.raises(ValueError, match="cannot record"):
            net.record("a.nothing")
    bad = tmp_path / "bad.snn"
    bad.write_bytes(b"definitely not a network")
    with pytest.raises(NetworkFileException, match="not a saved snn network"):
        Layer.load(str(bad))


def test_dropout_is_a_pass_through_at_inference(tmp_path):
    from snn.connections import Dropout
    x = dyadic_input(5)
    trace = dyadic_input(6)
    with Sequential(Dropout([N], p=0.3), lif("a")) as net:
        net.record("Dropout.output")
        out = net.forward(x, trace)
        np.testing.assert_array_equal(np.asarray(net.recorded["Dropout.output"]), x)
        np.testing.assert_array_equal(np.asarray(out.values), lif_reference(x)[0])
        path = str(tmp_path / "dropout.snn")
        net.save(path)
    with Layer.load(path) as loaded:
        assert loaded[0].p == pytest.approx(0.3)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout([N], p=1.0)
