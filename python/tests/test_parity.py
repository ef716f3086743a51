"""C#/Python API parity: every public type and member of the Snn assembly, listed by plain
reflection in C# (Snn.Bridge.Inventory, independent of what the describer offers), must be
reachable from Python under its mapped name, with every C# overload behind it."""

import importlib
import inspect

import snn
import snn.clr

# Public C# members Python cannot have, each with the reason. The test fails when a gap closes
# (remove it here) or a new one opens (make it reachable, or list it with its reason).
SNN_GAPS = {
    ("Snn.Tensor", "Span<T> AsSpan<T>()"):
        "returns a Span over native memory, which cannot outlive the call; Python reads a tensor with "
        "numpy.asarray(t) (zero-copy of a fresh array) or t.copy_to(array) (into numpy memory)",
}


def _resolve(entry):
    target = importlib.import_module(entry["module"])
    for part in entry["qualname"].split("."):
        target = getattr(target, part)
    return target


def _overloads(attribute):
    function = attribute.__func__ if isinstance(attribute, staticmethod) else attribute
    return getattr(function, "__clr_overloads__", ())


def unreachable(namespace: str) -> set:
    """(type, member signature or name) of every public C# member Python cannot reach."""
    gaps = set()
    for entry in snn.clr.inventory(namespace):
        try:
            cls = _resolve(entry)
        except AttributeError:
            gaps.add((entry["clr"], "<type>"))
            continue
        for member in entry["members"]:
            try:
                attribute = inspect.getattr_static(cls, member["python"])
            except AttributeError:
                gaps.update((entry["clr"], s) for s in member["signatures"] or [member["clr"]])
                continue
            offered = _overloads(attribute)
            gaps.update((entry["clr"], s) for s in member["signatures"] if s not in offered)
    return gaps


def test_every_public_member_of_snn_is_reachable_from_python():
    assert unreachable("Snn") == set(SNN_GAPS)


def test_the_inventory_covers_the_whole_public_api():
    inventory = {e["clr"]: e for e in snn.clr.inventory("Snn")}
    for name in ("Snn.Tensor", "Snn.Device", "Snn.DType", "Snn.Layers.DenseLif", "Snn.Encoding.PoissonEncoder",
                 "Snn.Neurons.Population", "Snn.SnnException", "Snn.Datasets.FashionMnist"):
        assert name in inventory
    tensor = {m["python"]: m for m in inventory["Snn.Tensor"]["members"]}
    assert {"from_array", "zeros", "wrap_host", "to_array", "copy_from", "copy_to", "as_span", "shape", "dtype",
            "dispose"} <= set(tensor)
    assert len(tensor["copy_from"]["signatures"]) == 3
    assert inventory["Snn.DeviceKind"]["members"] == [
        {"clr": "Cpu", "python": "CPU", "kind": "enum", "signatures": []},
        {"clr": "Cuda", "python": "CUDA", "kind": "enum", "signatures": []}]


def test_what_the_describer_skips_is_exactly_the_known_gaps():
    assert {(s["type"], s["member"]) for s in snn.__clr_skipped__} == set(SNN_GAPS)


def test_the_parity_check_detects_gaps(fx):
    # The fixture has a generic method Python cannot call and an event: both must be reported.
    assert unreachable("Snn.Bridge.Fixture") == {
        ("Snn.Bridge.Fixture.Calculator", "static T Make<T>()"),
        ("Snn.Bridge.Fixture.Calculator", "Changed"),
    }
