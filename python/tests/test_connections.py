"""PySNN's connections from Python (snn.connections): Conv2d, Linear and the poolings against
torch.nn.functional with our layer's own weights copied into torch; the max-pool winner trace against a numpy
reference (ties to the first, top-left spike) and against torch's argmax indices; delays, also across two streaming
calls, against a numpy shift; reset_weights' distributions against their formulas (fan-in/fan-out from torch) and
against a numpy Philox written from Random123's definition; the C#/Python shared constant; errors."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import snn
from snn.connections import AdaptiveMaxPool2d, AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d

f32 = np.float32


def spikes(shape, p, seed):
    return (np.random.default_rng(seed).random(shape) < p).astype(f32)


def images(values):
    """[T, B, C, H, W] -> a torch batch [T * B, C, H, W]."""
    a = np.asarray(values)
    return torch.from_numpy(np.ascontiguousarray(a.reshape(-1, *a.shape[2:])))


def weight_of(layer, key="weight"):
    return torch.from_numpy(np.array(layer.parameters[key]))


# ---------------------------------------------------------------------------------------------- convolution, linear

CONV_CASES = [
    # cin, cout, kernel, image, stride, padding, dilation, groups, bias
    (1, 16, (3, 3), (28, 28), (1, 1), (0, 0), (1, 1), 1, False),
    (3, 5, (3, 2), (11, 10), (2, 3), (1, 1), (2, 1), 1, True),
    (4, 6, (2, 3), (7, 9), (1, 2), (1, 0), (1, 3), 2, True),
    (2, 4, (5, 5), (12, 13), (3, 2), (2, 2), (1, 1), 1, False),
    (8, 6, (3, 3), (7, 8), (1, 2), (1, 1), (2, 1), 2, True),   # > 32 taps per output: im2col + GEMM
    (16, 8, (3, 3), (10, 10), (1, 1), (1, 1), (1, 1), 1, True),
]


@pytest.mark.parametrize("cin,cout,kernel,image,stride,padding,dilation,groups,bias", CONV_CASES)
def test_conv2d_matches_torch(cin, cout, kernel, image, stride, padding, dilation, groups, bias):
    layer = Conv2d(cin, cout, kernel, image, stride=stride, padding=padding, dilation=dilation, groups=groups,
                   bias=bias, seed=3)
    layer.reset_weights("normal", seed=4)
    if bias:
        layer.parameters["bias"].copy_from(np.random.default_rng(5).standard_normal(cout).astype(f32))
    x = spikes((4, 3, cin, *image), 0.3, 6)
    out = np.asarray(layer.forward(x).values)
    expected = F.conv2d(images(x), weight_of(layer), weight_of(layer, "bias") if bias else None, stride, padding,
                        dilation, groups)
    assert out.shape == (4, 3, *expected.shape[1:])
    np.testing.assert_allclose(out.reshape(expected.shape), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_conv2d_square_int_arguments_equal_pairs():
    a = Conv2d(2, 3, 3, (9, 9), stride=2, padding=1, dilation=2, seed=1)
    b = Conv2d(2, 3, (3, 3), (9, 9), stride=(2, 2), padding=(1, 1), dilation=(2, 2), seed=1)
    x = spikes((2, 2, 2, 9, 9), 0.5, 2)
    np.testing.assert_array_equal(np.asarray(a.forward(x).values), np.asarray(b.forward(x).values))
    assert list(a.output_shape) == [3, 4, 4]


def test_linear_matches_torch():
    layer = Linear(13, 7, bias=True, seed=8)
    layer.parameters["bias"].copy_from(np.arange(7, dtype=f32) / 7)
    x = spikes((5, 4, 13), 0.4, 9)
    out = np.asarray(layer.forward(x).values)
    expected = F.linear(torch.from_numpy(x), weight_of(layer), weight_of(layer, "bias"))
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------------- pooling

def first_max_reference(x, trace, windows):
    """Max over each window (lists of (row, col) in row-major order) and the trace of the first maximal entry."""
    planes = x.reshape(-1, *x.shape[-2:])
    traces = trace.reshape(-1, *x.shape[-2:])
    out_h, out_w = len(windows), len(windows[0])
    values = np.zeros((planes.shape[0], out_h, out_w), f32)
    winner = np.zeros_like(values)
    for p in range(planes.shape[0]):
        for i in range(out_h):
            for j in range(out_w):
                cells = [(r, c) for r, c in windows[i][j] if 0 <= r < x.shape[-2] and 0 <= c < x.shape[-1]]
                best = max(planes[p, r, c] for r, c in cells)
                r, c = next(rc for rc in cells if planes[p, rc[0], rc[1]] == best)
                values[p, i, j], winner[p, i, j] = best, traces[p, r, c]
    return values, winner


MAXPOOL_CASES = [
    # kernel, stride, padding, dilation, ceil_mode, image
    ((2, 2), (2, 2), (0, 0), (1, 1), False, (8, 8)),
    ((3, 2), (2, 3), (1, 1), (2, 1), True, (9, 10)),
    ((3, 3), (1, 1), (1, 1), (1, 1), False, (6, 7)),
    ((2, 2), (2, 2), (1, 0), (1, 1), True, (7, 7)),
]


@pytest.mark.parametrize("kernel,stride,padding,dilation,ceil_mode,image", MAXPOOL_CASES)
def test_max_pool_values_and_winner_trace(kernel, stride, padding, dilation, ceil_mode, image):
    C = 3
    layer = MaxPool2d(kernel, image, C, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode)
    x = spikes((2, 2, C, *image), 0.3, 10)
    trace = np.random.default_rng(11).random(x.shape).astype(f32)
    out = layer.forward(x, trace)
    values, traced = np.asarray(out.values), np.asarray(out.trace)

    expected, indices = F.max_pool2d(images(x), kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    np.testing.assert_array_equal(values.reshape(expected.shape), expected.numpy())
    # PySNN gathers the trace at torch's argmax indices.
    gathered = torch.gather(images(trace).flatten(2), 2, indices.flatten(2)).reshape(expected.shape)
    np.testing.assert_array_equal(traced.reshape(expected.shape), gathered.numpy())

    oh, ow = expected.shape[-2:]
    windows = [[[(i * stride[0] - padding[0] + u * dilation[0], j * stride[1] - padding[1] + v * dilation[1])
                 for u in range(kernel[0]) for v in range(kernel[1])] for j in range(ow)] for i in range(oh)]
    ref_values, ref_trace = first_max_reference(x, trace, windows)
    np.testing.assert_array_equal(values.reshape(ref_values.shape), ref_values)
    np.testing.assert_array_equal(traced.reshape(ref_trace.shape), ref_trace)


def test_max_pool_tie_goes_to_the_top_left_spike():
    # Window 1 has spikes at (0, 1) and (1, 0): (0, 1) comes first in row-major order. Window 2 is silent: its
    # first cell's trace goes on.
    x = np.array([[0, 1, 0, 0], [1, 0, 0, 0]], f32).reshape(1, 1, 1, 2, 4)
    trace = np.arange(1, 9, dtype=f32).reshape(x.shape) / 10
    out = MaxPool2d(2, (2, 4)).forward(x, trace)
    np.testing.assert_array_equal(np.asarray(out.values).ravel(), [1, 0])
    np.testing.assert_allclose(np.asarray(out.trace).ravel(), [0.2, 0.3])


@pytest.mark.parametrize("image,size", [((10, 7), (3, 4)), ((5, 5), (5, 5)), ((4, 9), (7, 2)), ((6, 6), (1, 1))])
def test_adaptive_max_pool_matches_torch(image, size):
    layer = AdaptiveMaxPool2d(size, image, 2)
    x = spikes((3, 2, 2, *image), 0.25, 12)
    trace = np.random.default_rng(13).random(x.shape).astype(f32)
    out = layer.forward(x, trace)
    expected, indices = F.adaptive_max_pool2d(images(x), size, return_indices=True)
    np.testing.assert_array_equal(np.asarray(out.values).reshape(expected.shape), expected.numpy())
    gathered = torch.gather(images(trace).flatten(2), 2, indices.flatten(2)).reshape(expected.shape)
    np.testing.assert_array_equal(np.asarray(out.trace).reshape(expected.shape), gathered.numpy())
    H, W = image
    windows = [[[(r, c) for r in range(i * H // size[0], -(-(i + 1) * H // size[0]))
                 for c in range(j * W // size[1], -(-(j + 1) * W // size[1]))] for j in range(size[1])]
               for i in range(size[0])]
    _, ref_trace = first_max_reference(x, trace, windows)
    np.testing.assert_array_equal(np.asarray(out.trace).reshape(ref_trace.shape), ref_trace)


@pytest.mark.parametrize("kernel,stride,padding,include", [((2, 2), None, (0, 0), True), ((3, 2), (2, 2), (1, 1), True),
                                                           ((3, 3), (2, 1), (1, 1), False), ((4, 4), (3, 3), (2, 2), False)])
def test_avg_pool_matches_torch(kernel, stride, padding, include):
    image = (9, 8)
    layer = AvgPool2d(kernel, image, 3, stride=stride, padding=padding, count_include_pad=include)
    x = np.random.default_rng(14).random((2, 2, 3, *image)).astype(f32)
    out = layer.forward(x, x)
    expected = F.avg_pool2d(images(x), kernel, stride, padding, count_include_pad=include)
    np.testing.assert_allclose(np.asarray(out.values).reshape(expected.shape), expected.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(np.asarray(out.trace).reshape(expected.shape), expected.numpy(), rtol=1e-6, atol=1e-7)


def test_flatten_reshapes_values_and_trace():
    x = np.random.default_rng(15).random((3, 2, 4, 5, 6)).astype(f32)
    out = Flatten([4, 5, 6]).forward(x, 2 * x)
    np.testing.assert_array_equal(np.asarray(out.values), x.reshape(3, 2, 120))
    np.testing.assert_array_equal(np.asarray(out.trace), 2 * x.reshape(3, 2, 120))


# ---------------------------------------------------------------------------------------------- delays

def delayed(x, d):
    out = np.zeros_like(x)
    out[d:] = x[:len(x) - d]
    return out


@pytest.mark.parametrize("dt,delay,steps", [(1.0, 0.0, 0), (1.0, 1.0, 1), (0.5, 2.0, 4), (0.1, 0.7, 7)])
def test_linear_delay_shifts_by_whole_steps(dt, delay, steps):
    layer = Linear(6, 4, dt=dt, delay=delay, seed=16)
    assert layer.delay_steps == steps
    x = spikes((12, 3, 6), 0.5, 17)
    w = np.asarray(layer.weight)
    out = np.asarray(layer.forward(x).values)
    np.testing.assert_allclose(out, delayed(x, steps) @ w.T, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("split", [1, 2, 5, 9])
def test_conv_delay_streams_across_two_calls(split):
    # Delay 3 steps; the first piece may be shorter than the delay, so spikes are in flight across the calls.
    layer = Conv2d(2, 3, 3, (6, 6), dt=1.0, delay=3.0, padding=1, seed=18)
    x = spikes((10, 2, 2, 6, 6), 0.3, 19)
    first = np.asarray(layer.forward(x[:split]).values)
    line = layer.state["delay_line"]
    assert list(line.shape) == [2, 3, 2, 6, 6]
    second = np.asarray(layer.forward(x[split:]).values)
    expected = F.conv2d(images(delayed(x, 3)), weight_of(layer), padding=1).numpy().reshape(10, 2, 3, 6, 6)
    np.testing.assert_allclose(np.concatenate([first, second]), expected, rtol=1e-5, atol=1e-5)
    layer.reset_state()
    assert len(layer.state) == 0
    again = np.asarray(layer.forward(x).values)
    np.testing.assert_allclose(again, expected, rtol=1e-5, atol=1e-5)


def test_recorded_spikes_are_delayed_and_trace_passes_through():
    layer = Linear(3, 2, delay=2, seed=20)
    layer.record("spikes", "trace")
    x = spikes((6, 2, 3), 0.5, 21)
    trace = np.random.default_rng(22).random(x.shape).astype(f32)
    out = layer.forward(x, trace)
    assert out.trace is None
    np.testing.assert_array_equal(np.asarray(layer.recorded["spikes"]), delayed(x, 2))
    np.testing.assert_array_equal(np.asarray(layer.recorded["trace"]), trace)


def test_delay_line_state_moves_a_stream_to_another_layer():
    a, b = Linear(4, 3, delay=3, seed=23), Linear(4, 3, delay=3, seed=23)
    x = spikes((8, 2, 4), 0.5, 24)
    a.forward(x[:5])
    line = a.state["delay_line"]
    np.testing.assert_array_equal(np.asarray(line), x[2:5].transpose(1, 0, 2))  # [B, D, in], oldest first
    b.set_state("delay_line", line)
    np.testing.assert_array_equal(np.asarray(a.forward(x[5:]).values), np.asarray(b.forward(x[5:]).values))
    with pytest.raises(ValueError, match=r"\[batch, 3, 4\]"):
        b.set_state("delay_line", np.zeros((2, 2, 4), f32))


# ---------------------------------------------------------------------------------------------- weights

M32 = 0xFFFFFFFF


def philox_uniform(seed, offset, n):
    """Element i of Philox4x32-10 stream (seed, offset) as snn/random.h defines it, from Random123's definition."""
    out = np.empty(n, f32)
    for block in range((n + 3) // 4):
        c0, c1, c2, c3 = block & M32, block >> 32, offset & M32, offset >> 32
        k0, k1 = seed & M32, seed >> 32
        for r in range(10):
            if r:
                k0, k1 = (k0 + 0x9E3779B9) & M32, (k1 + 0xBB67AE85) & M32
            p0, p1 = 0xD2511F53 * c0, 0xCD9E8D57 * c2
            c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, p0 & M32
        for k, word in enumerate((c0, c1, c2, c3)):
            if 4 * block + k < n:
                out[4 * block + k] = f32((word >> 8) * (1.0 / 16777216.0))
    return out


def fans(shape):
    return torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def test_default_and_uniform_weights_are_the_philox_stream():
    layer = Conv2d(2, 3, 3, (5, 5), seed=23)
    w = np.asarray(layer.weight).ravel()
    np.testing.assert_array_equal(w, philox_uniform(23, 0, w.size))  # PySNN's default: uniform [0, 1)
    layer.reset_weights("uniform", a=-2.0, b=3.0, seed=24)
    expected = (-2.0 + 5.0 * philox_uniform(24, 0, w.size).astype(np.float64)).astype(f32)
    np.testing.assert_array_equal(np.asarray(layer.weight).ravel(), expected)


def test_shared_constant_with_csharp():
    # The same bits are checked by dotnet/Snn.Tests/Connections/ConnectionTests.cs; they are Box-Muller on the
    # Philox stream (7, 0), computed here independently.
    layer = Linear(3, 2)
    layer.reset_weights("normal", seed=7)
    expected = [0x3b1bd348, 0xc01f2852, 0x3ed87a19, 0x3e813c1b, 0x3e92eb00, 0xbf7b2c69]
    assert np.asarray(layer.weight).ravel().view(np.uint32).tolist() == expected
    u = philox_uniform(7, 0, 6).astype(np.float64)
    r, angle = np.sqrt(-2 * np.log(1 - u[0::2])), 2 * np.pi * u[1::2]
    box_muller = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1).ravel().astype(f32)
    assert box_muller.view(np.uint32).tolist() == expected


@pytest.mark.parametrize("shape", [(64, 200), (32, 8, 5, 5)])
def test_distribution_statistics(shape):
    layer = Linear(shape[1], shape[0]) if len(shape) == 2 else Conv2d(shape[1], shape[0], shape[2], (9, 9))
    fan_in, fan_out = fans(shape)
    n = math.prod(shape)

    def draw(dist, **kw):
        layer.reset_weights(dist, seed=kw.pop("seed", 31), **kw)
        return np.asarray(layer.weight).astype(np.float64).ravel()

    def check_normal(w, std):
        assert abs(w.mean()) < 4 * std / math.sqrt(n)
        assert abs(w.std() / std - 1) < 4 / math.sqrt(2 * n)

    def check_uniform(w, lo, hi):
        assert w.min() >= lo and w.max() < hi
        assert abs(w.mean() - (lo + hi) / 2) < 4 * (hi - lo) / math.sqrt(12 * n)
        assert abs(w.std() / ((hi - lo) / math.sqrt(12)) - 1) < 0.05

    check_uniform(draw("uniform", a=-1.0, b=2.0), -1.0, 2.0)
    check_uniform(draw("neuron_scaled_uniform", a=0.0, b=1.0), 0.0, 1.0 / math.sqrt(shape[1]))
    check_normal(draw("normal"), 1.0)
    check_normal(draw("neuron_scaled_normal", gain=3.0), 3.0 / math.sqrt(shape[1]))
    check_normal(draw("xavier_normal", gain=2.0), 2.0 * math.sqrt(2.0 / (fan_in + fan_out)))
    bound = 0.5 * math.sqrt(6.0 / (fan_in + fan_out))
    check_uniform(draw("xavier_uniform", gain=0.5), -bound, bound)
    check_normal(draw("kaiming_normal"), math.sqrt(2.0 / fan_in))
    k = math.sqrt(6.0 / fan_in)
    check_uniform(draw("kaiming_uniform"), -k, k)
    assert np.all(draw("constant", gain=0.75) == f32(0.75))
    normalized = draw("normalized", gain=2.0)
    assert abs(normalized.sum() - 2.0) < 1e-3 and normalized.min() >= 0
    # PySNN shifts the xavier draws by a times their maximum.
    plain = draw("xavier_uniform", seed=40)
    shifted = draw("xavier_uniform", a=0.5, seed=40)
    np.testing.assert_allclose(shifted, plain + 0.5 * plain.max(), rtol=1e-6, atol=1e-7)


def test_weights_are_deterministic_per_seed():
    a, b = Linear(20, 10, seed=5), Linear(20, 10, seed=5)
    np.testing.assert_array_equal(np.asarray(a.weight), np.asarray(b.weight))
    a.reset_weights("kaiming_normal", seed=9)
    b.reset_weights("kaiming_normal", seed=9)
    np.testing.assert_array_equal(np.asarray(a.weight), np.asarray(b.weight))
    b.reset_weights("kaiming_normal", seed=10)
    assert not np.array_equal(np.asarray(a.weight), np.asarray(b.weight))


# ---------------------------------------------------------------------------------------------- errors

@pytest.mark.parametrize("make,fragment", [
    (lambda: Linear(3, 2, dt=1.0, delay=1.5), "whole number of time steps"),
    (lambda: Linear(3, 2, dt=0.0), "dt = 0"),
    (lambda: Linear(3, 2, delay=-1.0), "delay = -1"),
    (lambda: Conv2d(1, 2, 7, (5, 5), padding=0), "larger than the padded input"),
    (lambda: Conv2d(1, 2, 3, (5, 5), stride=0), "stride 0"),
    (lambda: Conv2d(3, 4, 3, (5, 5), groups=2), "groups = 2"),
    (lambda: MaxPool2d(2, (6, 6), padding=2), "half the kernel"),
    (lambda: AvgPool2d(9, (6, 6)), "larger than the padded input"),
    (lambda: AdaptiveMaxPool2d(0, (6, 6)), "must be >= 1"),
    (lambda: Linear(3, 2).reset_weights("gaussian"), "unknown weight distribution"),
    (lambda: Linear(3, 2).reset_weights("uniform", a=1.0, b=0.0), "a <= b"),
])
def test_bad_parameters_raise_typed_errors(make, fragment):
    with pytest.raises(snn.SnnArgumentException, match=fragment) as info:
        make()
    assert isinstance(info.value, ValueError)


def test_wrong_input_shape_names_the_expected_one():
    layer = Conv2d(1, 2, 3, (6, 6))
    with pytest.raises(ValueError, match=r"\[time, batch, 1, 6, 6\]"):
        layer.forward(np.zeros((2, 1, 1, 5, 5), f32))
    with pytest.raises(ValueError, match="trace"):
        MaxPool2d(2, (6, 6)).forward(np.zeros((1, 1, 1, 6, 6), f32), np.zeros((1, 1, 1, 6, 5), f32))
