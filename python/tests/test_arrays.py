"""numpy arrays both ways without element-wise copies; lists as arrays and sequences; spans;
numpy-convertible parameter types (HostBuffer, like Snn.Tensor)."""

import gc

import numpy as np
import pytest


# -- out: zero-copy views of pinned managed arrays ---------------------------------------------------

@pytest.mark.parametrize("name, dtype, values", [
    ("floats", np.float32, None),
    ("longs", np.int64, [-(1 << 63), 0, (1 << 63) - 1]),
    ("bytes", np.uint8, [0, 127, 255]),
    ("uints", np.uint32, [0, (1 << 32) - 1]),
    ("bools", np.bool_, [True, False, True]),
])
def test_primitive_arrays_come_out_with_their_dtype(fx, name, dtype, values):
    method = getattr(fx.Arrays, name)
    a = method(4) if name == "floats" else method()
    assert isinstance(a, np.ndarray) and a.dtype == dtype
    assert a.tolist() == (values if values is not None else [0.0, 1.0, 2.0, 3.0])


def test_multidimensional_arrays_keep_their_shape(fx):
    g = fx.Arrays.grid(2, 3)
    assert g.shape == (2, 3) and g.dtype == np.float64
    assert g.tolist() == [[0, 1, 2], [10, 11, 12]]
    assert g.flags.c_contiguous
    c = fx.Arrays.cube()
    assert c.shape == (2, 3, 4) and c.dtype == np.int32
    e = fx.Arrays.empty()
    assert e.shape == (0,) and e.dtype == np.float32


def test_out_arrays_share_managed_memory(fx):
    kept = fx.Arrays.kept()
    kept[1] = 42.0                                    # writes the C# array itself
    assert fx.Arrays.kept_at(1) == 42.0
    again = fx.Arrays.kept()
    assert again.ctypes.data == kept.ctypes.data      # the same pinned memory
    kept[1] = 2.0


def test_pins_are_released_when_numpy_lets_go(fx, handles):
    base = handles()["pinned"]
    a = fx.Arrays.floats(1000)
    view = a[10:20]
    address = a.ctypes.data
    assert handles()["pinned"] == base + 1
    del a
    gc.collect()
    # The slice keeps the pin (and so the memory) alive.
    assert handles()["pinned"] == base + 1
    assert view.ctypes.data == address + 40 and view.tolist() == [float(i) for i in range(10, 20)]
    del view
    assert handles()["pinned"] == base


def test_pinned_memory_stays_valid_across_garbage_collections(fx):
    a = fx.Arrays.grid(200, 300)
    address = a.ctypes.data
    for _ in range(3):
        junk = [fx.Arrays.floats(10_000) for _ in range(50)]   # managed allocations
        del junk
        fx.Values.describe(None)
        gc.collect()
    assert a.ctypes.data == address
    assert a[199, 299] == 10 * 199 + 299


def test_non_primitive_arrays_become_lists(fx):
    assert fx.Arrays.names() == ["a", "β", "c"]
    calculators = fx.Arrays.calculators()
    assert [c.name for c in calculators] == ["x", "y"]
    assert fx.Arrays.colors() == [fx.Color.RED, fx.Color.BLUE]


# -- in: one bulk copy into managed arrays ----------------------------------------------------------

def test_numpy_into_primitive_arrays(fx):
    assert fx.Arrays.sum(np.arange(4, dtype=np.float32)) == 6.0
    assert fx.Arrays.sum(np.arange(4, dtype=np.float64)) == 6.0     # the double[] overload
    assert fx.Arrays.sum_ints(np.array([1, 2, 3], dtype=np.int32)) == 6
    assert fx.Arrays.sum_longs(np.array([1 << 40, 1], dtype=np.int64)) == (1 << 40) + 1
    assert fx.Arrays.sum_bytes(np.array([255, 1], dtype=np.uint8)) == 256
    assert fx.Arrays.sum_uints(np.array([1 << 31, 1 << 31], dtype=np.uint32)) == 1 << 32
    x = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert fx.Arrays.weighted(x) == sum(x[i, j] * (i * 100 + j) for i in range(2) for j in range(3))


def test_wrong_dtype_gives_a_clear_valueerror(fx):
    with pytest.raises(ValueError) as info:
        fx.Arrays.sum_ints(np.arange(3, dtype=np.int64))
    message = str(info.value)
    assert "expected a C-contiguous int32 array" in message
    assert "numpy.ascontiguousarray(x, dtype=numpy.int32)" in message
    assert type(info.value).__name__ == "ArgumentException"


def test_non_contiguous_arrays_are_refused(fx):
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    with pytest.raises(ValueError, match="not C-contiguous.*ascontiguousarray"):
        fx.Arrays.weighted(x.T)
    with pytest.raises(ValueError, match="not C-contiguous"):
        fx.Arrays.sum_longs(np.arange(10, dtype=np.int64)[::2])
    assert fx.Arrays.weighted(np.ascontiguousarray(x[:, :2])) == fx.Arrays.weighted(x[:, :2].copy())


def test_wrong_rank_and_unsupported_dtypes(fx):
    with pytest.raises(ValueError, match="expected a 2-D float64 array"):
        fx.Arrays.weighted(np.zeros(4))
    with pytest.raises(ValueError, match="complex128"):
        fx.Arrays.sum_longs(np.zeros(2, dtype=np.complex128))
    with pytest.raises(ValueError):
        fx.Arrays.sum_longs(np.zeros(2, dtype=">i8"))   # big-endian


def test_dicts_as_dictionaries(fx):
    assert fx.Arrays.render({"b": 2, "a": 0.5}) == "a=0.5;b=2"
    assert fx.Arrays.render({}) == ""
    assert fx.Arrays.key_times_value({2: 3, 5: 7}) == 41
    # object parameters get Dictionary<string, object> for str keys (nested too), Dictionary<object, object> otherwise
    assert fx.Arrays.describe_object({"x": 1.0, "sub": {"y": [1, 2]}}) == \
        "Dictionary<string, object>{sub:Dictionary<string, object>{y:Object[]},x:Double}"
    assert fx.Arrays.describe_object({1: "a", "b": 2}) == "Dictionary`2[2]"
    with pytest.raises(TypeError, match="key 1: cannot convert int to string"):
        fx.Arrays.render({"a": 1.0, 3: 2.0})
    with pytest.raises(TypeError, match="value 0: cannot convert str to double"):
        fx.Arrays.render({"a": "x"})
    with pytest.raises(TypeError, match="cannot convert dict to"):
        fx.Arrays.join_list({"a": 1})


def test_overloads_with_numpy_list_every_candidate(fx):
    with pytest.raises(TypeError) as info:
        fx.Arrays.sum(np.zeros(3, dtype=np.int8))
    assert "sum(x: float[])" in str(info.value) and "sum(x: double[])" in str(info.value)


def test_lists_and_tuples_as_arrays_and_sequences(fx):
    assert fx.Arrays.sum_ints([1, 2, 3]) == 6
    assert fx.Arrays.sum([0.5, 0.25]) == 0.75
    assert fx.Arrays.weighted([[1.0, 2.0], [3.0, 4.0]]) == 2 + 300 + 404
    assert fx.Arrays.sum_enumerable((1, 2, 3)) == 6
    assert fx.Arrays.sum_enumerable(np.array([4, 5], dtype=np.int32)) == 9
    assert fx.Arrays.sum_enumerable(range(5)) == 10
    assert fx.Arrays.join_list(["a", "β"]) == "a|β"
    assert fx.Arrays.jagged([[1, 2], [3]]) == 3
    with pytest.raises(TypeError, match="rectangular"):
        fx.Arrays.weighted([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="item 1: cannot convert str to int"):
        fx.Arrays.sum_ints([1, "x"])


def test_system_array_parameters_infer_the_element_type(fx):
    assert fx.Arrays.shape_of(np.zeros((2, 3), dtype=np.float32)) == "Single[2,3]"
    assert fx.Arrays.shape_of([[1, 2], [3, 4], [5, 6]]) == "Int64[3,2]"
    assert fx.Arrays.shape_of([1.5, 2]) == "Double[2]"


# -- spans: numpy memory passed directly ------------------------------------------------------------

def test_read_only_span_over_numpy_memory(fx):
    assert fx.Arrays.span_sum(np.arange(5, dtype=np.float32)) == 10.0
    assert fx.Arrays.span_sum([1.0, 2.0]) == 3.0     # a list is converted, then pinned


def test_writable_span_writes_into_numpy(fx):
    out = np.full(6, -1.0)
    fx.Arrays.iota(out)
    assert out.tolist() == [0, 1, 2, 3, 4, 5]
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fx.Arrays.iota(frozen)


def test_generic_span_method_takes_its_type_from_the_dtype(fx):
    assert fx.Arrays.span_type(np.zeros(3, dtype=np.int64)) == "Int64:3"
    assert fx.Arrays.span_type(np.zeros((2, 2), dtype=np.float32)) == "Single:4"


# -- numpy-convertible parameter types (WrapHost views) --------------------------------------------

def test_numpy_array_becomes_a_zero_copy_host_view(fx):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert fx.HostBuffer.total(x) == 15.0
    assert fx.HostBuffer.total(np.arange(3, dtype=np.float64)) == 3.0
    assert fx.HostBuffer.maybe(x) == "2x3"
    assert fx.HostBuffer.maybe() == "none"
    out = np.zeros(4, dtype=np.float32)
    fx.HostBuffer.fill(out, 2.5)                      # the view writes numpy's own memory
    assert out.tolist() == [2.5] * 4


def test_host_views_are_disposed_right_after_the_call(fx):
    fx.HostBuffer.total(np.ones(3, dtype=np.float32))
    assert fx.HostBuffer.live == 0
    with pytest.raises(ValueError):
        fx.HostBuffer.total(np.ones(3, dtype=np.int8))
    assert fx.HostBuffer.live == 0


def test_host_view_dtype_and_layout_errors(fx):
    with pytest.raises(ValueError) as info:
        fx.HostBuffer.total(np.ones(3, dtype=np.int64))
    assert "expected a C-contiguous array of dtype float32, float64, int32 for HostBuffer" in str(info.value)
    assert "numpy.ascontiguousarray(x, dtype=numpy.float32)" in str(info.value)
    with pytest.raises(ValueError, match="not C-contiguous.*dtype=numpy.float64"):
        fx.HostBuffer.total(np.ones((3, 3))[:, 0])


def test_to_array_gives_numpy_asarray(fx):
    buffer = fx.HostBuffer.owned(4)
    a = np.asarray(buffer)
    assert a.dtype == np.float32 and a.tolist() == [1, 2, 3, 4]
    assert np.asarray(buffer, dtype=np.float64).dtype == np.float64
    assert not hasattr(fx.Calculator, "__array__")
