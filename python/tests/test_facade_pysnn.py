"""A PySNN user's network, written with pysnn.connection's and pysnn.neuron's positional signatures (Linear(in, out,
batch_size, dt, delay), Conv2d(in, out, kernel, im_dims, batch_size, dt, delay), MaxPool2d(kernel), the neurons'
long argument lists) and uint8 / bool spikes, with only the import changed (`from pysnn.connection import ...`
becomes `from snn.pysnn import ...`). Checked against numpy references written from PySNN's equations, and against
the core API (snn.connections, snn.neurons) on the same configuration."""
import numpy as np
import pytest

import snn
from snn.neurons import Population, TraceNeuronKind, TraceNeuronModel
from snn.pysnn import AdaptiveMaxPool2d, Conv2d, InputNeuron, LIFNeuron, Linear, MaxPool2d

f32 = np.float32
T, B, N_IN, N_OUT, DT = 25, 2, 6, 4, 1.0


def lif_reference(x, thresh, v_rest, alpha_v, tau_v, alpha_t, tau_t):
    """PySNN's LIFNeuron with linear updates and no refractory period, in float32: v = v_rest + (v - v_rest) tau_v +
    alpha_v x; spike when v >= thresh, then v = v_rest; trace = tau_t trace + alpha_t s."""
    v = np.full(x.shape[1:], v_rest, f32)
    tr = np.zeros(x.shape[1:], f32)
    spikes, traces = np.zeros_like(x), np.zeros_like(x)
    for t in range(x.shape[0]):
        v = v_rest + ((v - v_rest) * f32(tau_v) + f32(alpha_v) * x[t])
        s = (v >= thresh).astype(f32)
        v = np.where(s > 0, f32(v_rest), v)
        tr = tr * f32(tau_t) + f32(alpha_t) * s
        spikes[t], traces[t] = s, tr
    return spikes, traces


def test_a_pysnn_network_runs_as_written():
    rng = np.random.default_rng(11)
    x = (rng.random((T, B, N_IN)) < 0.5).astype(np.uint8)  # PySNN's spikes are uint8
    # class Network(SNNNetwork): __init__ builds the layers positionally, forward chains them.
    inp = InputNeuron(N_IN, DT, 1.0, 0.5)
    fc = Linear(N_IN, N_OUT, B, DT, 1.0)  # batch_size B, dt 1, delay 1 (one step)
    neuron = LIFNeuron(N_OUT, 1.0, 0.0, 0.6, 1.0, DT, 0.0, 0.8, 0.5)
    with inp, fc, neuron:
        assert (fc.batch_size, fc.dt, fc.delay, fc.delay_steps) == (B, 1.0, 1.0, 1)
        spikes_in, trace_in = (np.array(t) for t in inp(x))  # PySNN: x, trace = self.input(x)
        np.testing.assert_array_equal(spikes_in, x.astype(f32))
        with fc(spikes_in.astype(np.uint8), trace_in) as a:
            potentials = np.array(a.values)
        w = np.array(fc.weight)
        assert w.shape == (N_OUT, N_IN) and (w >= 0).all() and (w < 1).all()  # PySNN's uniform(0, 1) start
        delayed = np.concatenate([np.zeros((1, B, N_IN), f32), spikes_in[:-1]])
        np.testing.assert_allclose(potentials, delayed @ w.T, rtol=1e-6, atol=1e-6)
        with neuron.forward(potentials) as out:
            spikes, trace = np.array(out.values), np.array(out.trace)
    expected_spikes, expected_trace = lif_reference(potentials, f32(1.0), f32(0.0), 0.6, 0.8, 1.0, 0.5)
    np.testing.assert_array_equal(spikes, expected_spikes)
    np.testing.assert_allclose(trace, expected_trace, rtol=1e-6)
    assert 0 < spikes.sum() < spikes.size


def test_pysnn_neurons_are_the_core_trace_population():
    x = np.random.default_rng(12).normal(0.5, 0.6, (T, B, 3, 2)).astype(f32)
    with LIFNeuron([3, 2], 0.9, -0.1, 0.8, 0.7, 0.5, 1.0, 0.85, 0.6) as facade, \
            Population(TraceNeuronModel(TraceNeuronKind.LIF, 0.5, 0.7, 0.6, 0.9, -0.1, 0.8, 1.0, 0.85), [3, 2]) as core:
        with facade.forward(x) as a, core.forward(x) as b:
            np.testing.assert_array_equal(np.array(a.values), np.array(b.values))
            np.testing.assert_array_equal(np.array(a.trace), np.array(b.trace))
            assert np.array(a.values).sum() > 0
        assert facade.type_name == "LIFNeuron" and core.type_name == "Population"


def test_batch_size_is_checked_never_read_as_dt():
    with Linear(N_IN, N_OUT, 3, 0.5, 1.0) as fc:  # batch_size 3, dt 0.5, delay 1.0 = two steps
        assert (fc.batch_size, fc.dt, fc.delay_steps) == (3, 0.5, 2)
        with pytest.raises(snn.SnnArgumentException, match="built for batch_size 3"):
            fc(np.zeros((4, 2, N_IN), np.uint8))
    with pytest.raises(snn.SnnArgumentException, match="batch_size = 0 must be >= 1"):
        Linear(N_IN, N_OUT, 0, 1.0, 0.0)


def correlate(x, w):
    """Valid cross-correlation of x [N, C, H, W] with w [O, C, k, k] (stride 1), as torch's conv2d."""
    k = w.shape[-1]
    h, wd = x.shape[2] - k + 1, x.shape[3] - k + 1
    out = np.zeros((x.shape[0], w.shape[0], h, wd), f32)
    for i in range(h):
        for j in range(wd):
            out[:, :, i, j] = np.einsum("nchw,ochw->no", x[:, :, i:i + k, j:j + k], w)
    return out


def test_conv_and_pools_take_pysnn_arguments_and_bool_spikes():
    rng = np.random.default_rng(13)
    x = rng.random((T, B, 1, 6, 6)) < 0.3  # bool spikes
    with Conv2d(1, 2, 3, (6, 6), B, DT, 0.0) as conv:
        with conv(x) as y:
            out = np.array(y.values)
        w = np.array(conv.weight)
    assert out.shape == (T, B, 2, 4, 4)
    np.testing.assert_allclose(out, correlate(x.reshape(T * B, 1, 6, 6).astype(f32), w).reshape(out.shape), rtol=1e-5, atol=1e-5)

    spikes = (rng.random((T, B, 2, 4, 4)) < 0.3).astype(np.uint8)
    trace = rng.random((T, B, 2, 4, 4)).astype(f32)
    with MaxPool2d(2) as pool, pool(spikes, trace) as pooled:
        values, carried = np.array(pooled.values), np.array(pooled.trace)
    windows = spikes.reshape(T, B, 2, 2, 2, 2, 2).transpose(0, 1, 2, 3, 5, 4, 6).reshape(T, B, 2, 2, 2, 4)
    traces = trace.reshape(T, B, 2, 2, 2, 2, 2).transpose(0, 1, 2, 3, 5, 4, 6).reshape(T, B, 2, 2, 2, 4)
    winner = windows.argmax(axis=-1)  # the first maximum: ties go to the top-left input, as in PySNN
    np.testing.assert_array_equal(values, windows.max(axis=-1).astype(f32))
    np.testing.assert_array_equal(carried, np.take_along_axis(traces, winner[..., None], -1)[..., 0])
    with AdaptiveMaxPool2d(1) as pool, pool(spikes) as pooled:
        np.testing.assert_array_equal(np.array(pooled.values), spikes.max(axis=(3, 4), keepdims=True).astype(f32))
