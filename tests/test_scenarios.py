"""C#/Python parity: runs tests/scenarios/*.json through the Python API, writes every array, and
requires the files the C# run wrote (dotnet/Snn.Tests/ScenarioTests.cs) to be identical byte for
byte. The recipe both sides follow is in tests/scenarios/README.md."""
import glob
import json
import os

import numpy as np
import pytest

import snn
from snn.encoding import PoissonEncoder
from snn.layers import DenseLif
from snn.neurons import ResetMode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = sorted(glob.glob(os.path.join(ROOT, "tests", "scenarios", "*.json")))
OUT = os.environ.get("SNN_SCENARIO_OUT") or os.path.join(ROOT, "tests", "out")


def run(scenario):
    s = scenario
    intensities = snn.Tensor.zeros([s["batch"], s["features"]])
    snn.Philox.uniform(intensities, s["seed"], offset=1000)
    intensities = np.asarray(intensities) * np.float32(s["rate"])

    encoder = PoissonEncoder(s["steps"], seed=s["seed"])
    spikes = encoder.encode(intensities)
    spikes2 = encoder.encode(intensities)
    layer = DenseLif(s["features"], s["hidden"], s["beta"], s["threshold"], ResetMode[s["reset"].upper()], seed=s["seed"])
    layer.record("membrane")
    out = layer.forward(spikes)
    membrane, state = np.array(layer.recorded["membrane"]), np.array(layer.state["membrane"])
    layer.record()
    out2 = layer.forward(spikes2)  # the state carries over from the first call
    return {
        "intensities": intensities, "spikes": spikes, "spikes2": spikes2, "weight": layer.weight,
        "out_spikes": out.values, "out_membrane": membrane, "out_state": state,
        "out2_spikes": out2.values, "out2_state": layer.state["membrane"],
    }


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: os.path.basename(p)[:-5])
def test_python_matches_csharp_bit_for_bit(path):
    with open(path) as f:
        scenario = json.load(f)
    name = scenario["name"]
    arrays = {key: np.ascontiguousarray(np.asarray(value), dtype=np.float32) for key, value in run(scenario).items()}
    folder = os.path.join(OUT, "python", name)
    os.makedirs(folder, exist_ok=True)
    for key, array in arrays.items():
        array.tofile(os.path.join(folder, key + ".bin"))
    assert arrays["out_spikes"].sum() > 0, "a scenario should make the layer spike"

    csharp = os.path.join(OUT, "csharp", name)
    assert os.path.isdir(csharp), f"{csharp} is missing: run the C# tests first (dotnet test Bindings.sln) with the same SNN_SCENARIO_OUT"
    for key, array in arrays.items():
        with open(os.path.join(csharp, key + ".bin"), "rb") as f:
            theirs = f.read()
        assert theirs == array.tobytes(), f"{name}/{key}: C# and Python differ"


def test_every_scenario_file_is_named_after_itself():
    for path in SCENARIOS:
        with open(path) as f:
            assert json.load(f)["name"] == os.path.basename(path)[:-5]
