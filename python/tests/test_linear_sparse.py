"""The sparse-input CPU path of Dense.forward (native/src/kernels/linear_sparse_cpu.cpp), from Python.

Oracles: numpy in float64 (the exact product, within float tolerance) and numpy in float32 written
from the documented order (bias, then + x * w over the non-zero inputs in ascending order, one
rounding per operation), which the sparse path must match bit for bit. SNN_LINEAR_PATH, read by
libsnn on every call, forces a path (dense | sparse); unset, the documented rule picks one.
"""
import contextlib
import os

import numpy as np
import pytest

import snn
from snn.connections import Dense

DENSITY_LIMIT = 0.6  # kSparseMaxDensity in native/src/kernels/linear_sparse_cpu.h
MIN_ROWS = 64        # kSparseMinRows


@contextlib.contextmanager
def linear_path(path):
    old = os.environ.pop("SNN_LINEAR_PATH", None)
    if path:
        os.environ["SNN_LINEAR_PATH"] = path
    try:
        yield
    finally:
        os.environ.pop("SNN_LINEAR_PATH", None)
        if old is not None:
            os.environ["SNN_LINEAR_PATH"] = old


def spikes(shape, density, binary, seed):
    rng = np.random.default_rng(seed)
    fire = rng.random(shape) < density
    if binary:
        return fire.astype(np.float32)
    values = rng.uniform(-2, 2, shape).astype(np.float32)
    values[rng.random(shape) < 0.2] = 1.0  # exact ones among other values
    return np.where(fire, values, 0).astype(np.float32)


def forward(x, w, b, threads=2):
    """Dense.forward on a CPU device with `threads` threads and the given parameters."""
    n_out, n_in = w.shape
    with snn.Device.cpu(num_threads=threads) as device, \
            Dense(n_in, n_out, bias=b is not None, device=device, seed=0) as layer:
        layer.weight.copy_from(w)
        if b is not None:
            layer.bias.copy_from(b)
        with layer.forward(x) as y:
            return np.asarray(y)


def sequential_float32(x, w, b):
    """bias + x_k * w_k over the non-zero x_k in ascending k, each operation rounded to float32."""
    flat = x.reshape(-1, x.shape[-1])
    acc = np.zeros((flat.shape[0], w.shape[0]), np.float32)
    if b is not None:
        acc += b
    for k in range(flat.shape[1]):
        xk = flat[:, k:k + 1]
        acc = np.where(xk != 0, acc + xk * w[:, k], acc).astype(np.float32)
    return acc.reshape(x.shape[:-1] + (w.shape[0],))


def exact(x, w, b):
    y = x.astype(np.float64) @ w.astype(np.float64).T
    return y + b if b is not None else y


CASES = [
    # name, input shape, n_out, density, binary, bias
    ("binary spikes", (20, 8, 256), 128, 0.2, True, True),
    ("odd sizes", (7, 3, 5, 129), 33, 0.2, True, True),
    ("non-binary sparse", (70, 300), 257, 0.1, False, True),
    ("non-binary, no bias", (9, 8, 77), 100, 0.3, False, False),
    ("all zero", (66, 64), 50, 0.0, True, True),
    ("all zero, no bias", (66, 64), 50, 0.0, True, False),
    ("dense values", (65, 200), 130, 1.0, False, True),
    ("one output", (64, 50), 1, 0.5, False, True),
    ("vector input", (40,), 20, 0.3, False, True),
]


@pytest.mark.parametrize("name, shape, n_out, density, binary, with_bias", CASES, ids=[c[0] for c in CASES])
def test_sparse_path_matches_numpy(name, shape, n_out, density, binary, with_bias):
    rng = np.random.default_rng(len(name))
    x = spikes(shape, density, binary, seed=len(name) + 1)
    w = rng.uniform(-0.5, 0.5, (n_out, shape[-1])).astype(np.float32)
    b = rng.uniform(-1, 1, n_out).astype(np.float32) if with_bias else None
    with linear_path("sparse"):
        y1 = forward(x, w, b, threads=1)
        y2 = forward(x, w, b, threads=2)
    assert y1.shape == shape[:-1] + (n_out,)
    np.testing.assert_allclose(y1, exact(x, w, b), rtol=1e-5, atol=1e-5 * np.sqrt(shape[-1]))
    np.testing.assert_array_equal(y1.view(np.uint32), sequential_float32(x, w, b).view(np.uint32))
    np.testing.assert_array_equal(y1.view(np.uint32), y2.view(np.uint32))


def test_automatic_path_gives_identical_bits_for_any_thread_count():
    rng = np.random.default_rng(3)
    x = spikes((50, 16, 1000), 0.2, True, seed=4)  # 800 rows at p = 0.2: the sparse path
    w = rng.uniform(-0.1, 0.1, (515, 1000)).astype(np.float32)
    b = rng.uniform(-1, 1, 515).astype(np.float32)
    with linear_path(None):
        one, two, three = (forward(x, w, b, threads=t) for t in (1, 2, 3))
    np.testing.assert_allclose(one, exact(x, w, b), rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(one.view(np.uint32), two.view(np.uint32))
    np.testing.assert_array_equal(one.view(np.uint32), three.view(np.uint32))


def boundary_problem(per_row, rows=100, n_in=200, n_out=40):
    """Rows with exactly `per_row` ones, and an output 0 that tells the paths apart: bias 2^24 and
    weights 1. Added one at a time to 2^24 (sparse) each 1 is lost to rounding; the sgemm adds the
    bias to their sum (dense), giving float32(2^24 + per_row)."""
    x = np.zeros((rows, n_in), np.float32)
    for r in range(rows):
        x[r, (r * 7 + np.arange(per_row) * 13) % n_in] = 1.0
    rng = np.random.default_rng(5)
    w = rng.uniform(-0.5, 0.5, (n_out, n_in)).astype(np.float32)
    w[0] = 1.0
    b = rng.uniform(-1, 1, n_out).astype(np.float32)
    b[0] = 2.0 ** 24
    return x, w, b


@pytest.mark.parametrize("per_row", [119, 120, 121, 200])
def test_path_choice_boundary(per_row):
    x, w, b = boundary_problem(per_row)
    with linear_path("sparse"):
        sparse = forward(x, w, b)
    with linear_path("dense"):
        dense = forward(x, w, b)
    with linear_path(None):
        chosen = forward(x, w, b)
    assert np.all(sparse[:, 0] == 2.0 ** 24)
    assert np.all(dense[:, 0] == np.float32(2.0 ** 24 + per_row))
    np.testing.assert_allclose(dense[:, 1:], exact(x, w, b)[:, 1:], rtol=1e-5, atol=1e-4)
    expected = sparse if per_row / x.shape[1] <= DENSITY_LIMIT else dense
    np.testing.assert_array_equal(chosen.view(np.uint32), expected.view(np.uint32))


def test_few_rows_take_the_dense_path():
    x, w, b = boundary_problem(10)
    with linear_path(None):
        few = forward(x[:MIN_ROWS - 1], w, b)
        many = forward(x[:MIN_ROWS], w, b)
    assert np.all(few[:, 0] == 2.0 ** 24 + 10)
    assert np.all(many[:, 0] == 2.0 ** 24)


def test_wrong_input_width_still_raises():
    with Dense(8, 4, seed=0) as layer:
        with pytest.raises(snn.SnnArgumentException) as info:
            layer.forward(np.zeros((100, 9), np.float32))
        assert "expects n_in = 8" in str(info.value)
