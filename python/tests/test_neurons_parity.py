"""C#/Python parity of the neuron family: runs the cases of dotnet/Snn.Tests/Neurons/NeuronParityTests.cs
through the Python API, following the same recipe (see that file), writes every array to
$SNN_SCENARIO_OUT/python/neurons/<case>/ and requires the C# files to be identical byte for byte.
Here the input goes in as numpy arrays (zero-copy views); in C# as tensors."""
import os

import numpy as np
import pytest

from parity import float32_arrays, write_and_compare
import snn
from snn.neurons import NeuronKind, NeuronModel, ResetMode, SpikeTiming

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEPS, BATCH, N = 16, 2, 13
CASES = ["if", "lif", "li", "alif", "cubalif", "rif", "rlif", "rcubalif", "options", "lif_snntorch"]


def model(name):
    if name == "options":
        m = NeuronModel(NeuronKind.ALIF, N, 0.5, SpikeTiming.AFTER_INPUT, ResetMode.ZERO)
        m.inclusive_threshold, m.refractory_steps, m.max_spikes_per_step, m.beta, m.gamma = True, 2, 3, 0.85, 0.7
        return m
    return {"if": lambda: NeuronModel.create(NeuronKind.IF, N, threshold=0.9), "lif": lambda: NeuronModel.create(NeuronKind.LIF, N, seed=3), "li": lambda: NeuronModel.create(NeuronKind.LI, N),
            "alif": lambda: NeuronModel.create(NeuronKind.ALIF, N, seed=4), "cubalif": lambda: NeuronModel.create(NeuronKind.CUBA_LIF, N, seed=5), "rif": lambda: NeuronModel.create(NeuronKind.IF, N, seed=6, recurrent=True),
            "rlif": lambda: NeuronModel.create(NeuronKind.LIF, N, seed=7, recurrent=True), "rcubalif": lambda: NeuronModel.create(NeuronKind.CUBA_LIF, N, beta=0.95, seed=8, recurrent=True)}[name]()


def run(name):
    seed = CASES.index(name) + 1
    with snn.Tensor.zeros([STEPS, BATCH, N]) as uniforms:
        snn.Philox.uniform(uniforms, seed, offset=7)
        x = np.float32(1.6) * np.asarray(uniforms) - np.float32(0.4)
    first, second = x[:STEPS // 2], x[STEPS // 2:]
    arrays = {"x": x}

    def add(key, tensor):
        if tensor is not None:
            arrays[key] = np.asarray(tensor)

    if name == "lif_snntorch":
        # snnTorch's LIF: the family's LIF with the spike after the input and the decay checked, not clamped.
        with NeuronModel(NeuronKind.LIF, N, 1.0, SpikeTiming.AFTER_INPUT) as lif:
            lif.beta, lif.clip_decays = 0.9, False
            with lif.forward(first, record=True) as a, lif.forward(second, a.state, record=True) as b:
                for tag, out in (("1", a), ("2", b)):
                    add("out" + tag, out.output)
                    add("membrane" + tag, out.membrane)
                    add(f"state{tag}_membrane", out.state.membrane)
        return arrays
    with model(name) as m:
        add("alpha", m.alpha_per_neuron)
        add("beta", m.beta_per_neuron)
        add("gamma", m.gamma_per_neuron)
        add("w", m.recurrent_weight)
        with m.forward(first, record=True) as a, m.forward(second, a.state, record=True) as b:
            for tag, out in (("1", a), ("2", b)):
                for key in ("output", "membrane", "current", "adaptation", "refractory"):
                    add(("out" if key == "output" else key) + tag, getattr(out, key))
                for key in ("membrane", "current", "adaptation", "refractory", "spikes"):
                    add(f"state{tag}_{key}", getattr(out.state, key))
    return arrays


@pytest.mark.parametrize("name", CASES)
def test_python_matches_csharp_bit_for_bit(name):
    arrays = float32_arrays(run(name))
    if name != "li":
        assert arrays["out1"].sum() > 0, "a case should make the neurons spike"
    write_and_compare("neurons", name, arrays)


def test_both_sides_run_the_same_cases():
    with open(os.path.join(ROOT, "dotnet", "Snn.Tests", "Neurons", "NeuronParityTests.cs")) as f:
        source = f.read()
    listed = source.split("CaseNames =", 1)[1].split(";", 1)[0]
    assert [c.strip().strip('"') for c in listed.strip().strip("[]").split(",")] == CASES
