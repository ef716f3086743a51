"""C#/Python parity files: a case's float32 arrays are written to $SNN_SCENARIO_OUT/python/<suite>/<case>/ and must
equal, byte for byte, what the C# test of the same case wrote to $SNN_SCENARIO_OUT/csharp/<suite>/<case>/ (default
tests/out; the C# tests must run first with the same SNN_SCENARIO_OUT)."""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.environ.get("SNN_SCENARIO_OUT") or os.path.join(ROOT, "tests", "out")


def float32_arrays(arrays):
    """The arrays as C-contiguous float32, the layout both languages write."""
    return {key: np.ascontiguousarray(value, dtype=np.float32) for key, value in arrays.items()}


def write_and_compare(suite, case, arrays):
    """Writes `arrays` (float32) for Python and asserts the C# files of the case hold the same bytes."""
    folder = os.path.join(OUT, "python", suite, case)
    os.makedirs(folder, exist_ok=True)
    for stale in os.listdir(folder):
        os.remove(os.path.join(folder, stale))
    for key, array in arrays.items():
        array.tofile(os.path.join(folder, key + ".bin"))
    csharp = os.path.join(OUT, "csharp", suite, case)
    assert os.path.isdir(csharp), (f"{csharp} is missing: run the C# tests first (dotnet test Bindings.sln) "
                                   "with the same SNN_SCENARIO_OUT")
    assert sorted(f[:-4] for f in os.listdir(csharp)) == sorted(arrays), f"{case}: C# and Python wrote other arrays"
    for key, array in arrays.items():
        with open(os.path.join(csharp, key + ".bin"), "rb") as f:
            assert f.read() == array.tobytes(), f"{case}/{key}: C# and Python differ"
