"""The real Snn assembly through the bridge: modules, tensors and numpy, devices, encoders, layers,
errors. Results are checked against numpy oracles."""

import importlib

import numpy as np
import pytest

import snn
from snn.encoding import PoissonEncoder
from snn.connections import Dense
from snn.layers import DenseLif
from snn.neurons import NeuronKind, NeuronModel, ResetMode, SpikeTiming


def test_namespaces_are_modules():
    for name in ("snn.layers", "snn.neurons", "snn.encoding", "snn.datasets"):
        assert importlib.import_module(name) is getattr(snn, name.split(".")[1])
    assert snn.layers.DenseLif is DenseLif and DenseLif.__module__ == "snn.layers"
    assert [m.name for m in snn.DType] == ["FLOAT32", "FLOAT64", "INT32", "INT64", "UINT8", "UINT32"]
    assert snn.DeviceKind.CUDA == 1 and ResetMode.NONE == 2
    assert "Tensor" in snn.__all__ and "DenseLif" in snn.layers.__all__


@pytest.mark.parametrize("dtype, expected", [
    (np.float32, "FLOAT32"), (np.float64, "FLOAT64"), (np.int32, "INT32"),
    (np.int64, "INT64"), (np.uint8, "UINT8"), (np.uint32, "UINT32"),
])
def test_tensor_round_trip_for_every_dtype(dtype, expected):
    x = (np.arange(24) % 7).astype(dtype).reshape(2, 3, 4)
    with snn.Tensor.from_array(x) as t:
        assert t.dtype is snn.DType[expected]
        assert tuple(t.shape) == (2, 3, 4) and t.rank == 3 and t.element_count == 24
        back = np.asarray(t)
        assert back.dtype == dtype and back.shape == (2, 3, 4)
        np.testing.assert_array_equal(back, x)


def test_tensor_factories():
    with snn.Tensor.zeros((2, 5), dtype=snn.DType.INT64) as z:
        assert np.asarray(z).tolist() == [[0] * 5] * 2
    with snn.Tensor.full([3], 2.5) as f, f.clone() as g:
        assert np.asarray(g).tolist() == [2.5] * 3
        f.fill(-1.0)
        assert np.asarray(f).tolist() == [-1.0] * 3 and np.asarray(g).tolist() == [2.5] * 3
    with snn.Tensor.from_array(np.arange(6, dtype=np.float32), [2, 3]) as r:
        assert tuple(r.shape) == (2, 3)


def test_copy_to_and_copy_from_use_numpy_memory_directly():
    with snn.Tensor.full([2, 3], 1.5) as t:
        out = np.zeros((2, 3), dtype=np.float32)
        t.copy_to(out)                                        # Span<float> over out's memory
        assert out.tolist() == [[1.5] * 3] * 2
        t.copy_from(np.arange(6, dtype=np.float32))           # ReadOnlySpan<float>
        assert np.asarray(t).ravel().tolist() == list(range(6))
        with pytest.raises(ValueError, match="C-contiguous float32.*dtype=numpy.float32"):
            t.copy_to(np.zeros(6, dtype=np.float32)[::1].reshape(3, 2).T)
        with pytest.raises(ValueError, match="holds Float32 elements"):
            t.copy_to(np.zeros(6))                            # float64: Snn itself refuses


def test_numpy_arrays_stand_for_tensor_parameters():
    pixels = np.random.default_rng(0).random((4, 16), dtype=np.float32)
    spikes = PoissonEncoder(num_steps=20, seed=1).encode(pixels)
    assert isinstance(spikes, snn.Tensor) and tuple(spikes.shape) == (20, 4, 16)
    s = np.asarray(spikes)
    assert set(np.unique(s)) <= {0.0, 1.0}
    # Rate coding: bright pixels spike more often than dark ones.
    bright, dark = pixels > 0.8, pixels < 0.2
    assert s.mean(axis=0)[bright].mean() > s.mean(axis=0)[dark].mean()
    again = PoissonEncoder(num_steps=20, seed=1).encode(pixels)
    np.testing.assert_array_equal(np.asarray(again), s)      # reproducible
    spikes.dispose()
    again.dispose()


def test_tensor_argument_errors_keep_the_message_of_snn():
    with pytest.raises(snn.SnnArgumentException) as info:
        PoissonEncoder(10).encode(np.zeros((2, 2, 2), dtype=np.float32))
    assert isinstance(info.value, ValueError)
    assert "expects intensities of shape [batch, features], got [2, 2, 2]" in str(info.value)
    with pytest.raises(ValueError, match="must be float32.*convert it to float32"):
        PoissonEncoder(10).encode(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="C-contiguous.*numpy.ascontiguousarray"):
        PoissonEncoder(10).encode(np.zeros((4, 4), dtype=np.float32).T)
    with pytest.raises(ValueError, match="C-contiguous array of dtype float32, float64, int32, int64, uint8, uint32"):
        PoissonEncoder(10).encode(np.zeros((2, 2), dtype=np.float16))
    with pytest.raises(ValueError):
        PoissonEncoder(0)                                     # ArgumentOutOfRangeException


def _lif_oracle(current, beta, threshold, reset):
    state = np.zeros(current.shape[1:], dtype=np.float32)
    spikes, membrane = np.zeros_like(current), np.zeros_like(current)
    for t in range(current.shape[0]):
        state = np.float32(beta) * state + current[t]
        membrane[t] = state
        fired = state > threshold
        spikes[t] = fired
        if reset == "subtract":
            state = np.where(fired, state - np.float32(threshold), state)
        elif reset == "zero":
            state = np.where(fired, np.float32(0), state)
    return spikes, membrane, state


def test_dense_lif_matches_a_numpy_oracle():
    rng = np.random.default_rng(3)
    x = (rng.random((12, 3, 10)) < 0.4).astype(np.float32)
    with DenseLif(10, 6, beta=0.8, threshold=0.5, seed=4) as layer:
        w, b = np.asarray(layer.weight), np.asarray(layer.bias)
        assert w.shape == (6, 10) and b.shape == (6,)
        assert layer.in_features == 10 and layer.out_features == 6
        assert layer.reset_mode is ResetMode.SUBTRACT
        layer.record("membrane")
        with layer.forward(x) as out:
            assert isinstance(out, snn.networks.Signal)
            spikes, membrane, state = _lif_oracle(x @ w.T + b, 0.8, 0.5, "subtract")
            np.testing.assert_allclose(np.asarray(layer.recorded["membrane"]), membrane, rtol=1e-5, atol=1e-5)
            np.testing.assert_array_equal(np.asarray(out.values), spikes)
            np.testing.assert_allclose(np.asarray(layer.state["membrane"]), state, rtol=1e-5, atol=1e-5)
            # Streaming: the state of one call is the initial state of the next.
            with layer.forward(x) as second:
                assert np.asarray(second.values).shape == (12, 3, 6)
        layer.record()
        with layer.forward(x):
            assert "membrane" not in layer.recorded


def test_lif_and_linear_properties():
    lif = NeuronModel(NeuronKind.LIF, 2, 2.0, SpikeTiming.AFTER_INPUT, ResetMode.ZERO)  # snnTorch's LIF
    lif.beta = 0.25
    assert lif.beta == 0.25 and lif.reset_mode is ResetMode.ZERO
    current = np.full((3, 1, 2), 1.5, dtype=np.float32)
    with lif.forward(current, record=True) as out:
        spikes, membrane, state = _lif_oracle(current, 0.25, 2.0, "zero")
        np.testing.assert_allclose(np.asarray(out.membrane), membrane)
        np.testing.assert_array_equal(np.asarray(out.output), spikes)
    with Dense(4, 2, bias=False, seed=1) as linear:
        assert linear.bias is None
        x = np.ones((5, 4), dtype=np.float32)
        with linear.forward(x) as y:
            np.testing.assert_allclose(np.asarray(y), x @ np.asarray(linear.weight).T, rtol=1e-5)


def test_devices():
    assert snn.Device.count(snn.DeviceKind.CPU) == 1
    assert snn.Device.available_kinds()[0] is snn.DeviceKind.CPU
    with snn.Device.cpu(num_threads=2) as cpu:
        assert cpu.kind is snn.DeviceKind.CPU and cpu.num_threads == 2
        assert cpu.name and cpu.total_memory_bytes > 0
        with snn.Tensor.zeros([2], device=cpu) as t:
            assert t.device.kind is snn.DeviceKind.CPU
    assert cpu.is_disposed
    if snn.Device.count(snn.DeviceKind.CUDA) == 0:
        with pytest.raises(snn.DeviceUnavailableException) as info:
            snn.Device.cuda()
        assert isinstance(info.value, RuntimeError) and info.value.code is snn.ErrorCode.DEVICE_UNAVAILABLE
    else:
        with snn.Device.cuda(0) as gpu:
            assert gpu.kind is snn.DeviceKind.CUDA


def test_large_freed_blocks_are_reused_zeroed_and_can_be_released():
    with snn.Device.cpu() as cpu:
        cpu.release_cached_memory()
        n = 3 << 20  # 12 MiB of float32
        with snn.Tensor.full([n], 7.0, device=cpu):
            pass
        with snn.Tensor.zeros([n], device=cpu) as again:  # the cached block, zero-filled again
            assert not np.asarray(again).any()
        assert cpu.release_cached_memory() >= 4 * n
        assert cpu.release_cached_memory() == 0
    with pytest.raises(snn.clr.ObjectDisposedException):
        cpu.release_cached_memory()


def test_disposed_objects_raise_object_disposed():
    t = snn.Tensor.zeros([3])
    with t:
        pass
    assert t.is_disposed and "disposed" in str(t)
    with pytest.raises(snn.clr.ObjectDisposedException, match="Cannot access a disposed object"):
        t.fill(1.0)
    with pytest.raises(RuntimeError):
        np.asarray(t)


def test_philox_known_answer_and_zero_copy_result():
    block = snn.Philox.block([0, 0, 0, 0], [0, 0])
    assert block.dtype == np.uint32
    assert [hex(v) for v in block] == ["0x6627e8d5", "0xe169c58d", "0xbc57ac4c", "0x9b00dbd8"]
    with pytest.raises(ValueError, match="counter needs 4 words"):
        snn.Philox.block([0, 0], [0, 0])


def test_initializers():
    with snn.Tensor.zeros([1000]) as t:
        snn.Initializers.uniform(t, -2.0, 3.0, seed=5)
        values = np.asarray(t)
        assert values.min() >= -2.0 and values.max() < 3.0 and values.std() > 1.0


def test_library_facts():
    assert snn.Library.version.count(".") == 2
    assert snn.Library.abi_version == snn.Library.expected_abi_version
    assert snn.Library.native_path.endswith("libsnn.so")


def test_fashion_mnist_images_arrive_as_numpy_without_copies():
    data = snn.datasets.FashionMnist.load(train=False)
    images, labels = data.images, data.labels
    assert images.shape == (10000, 784) and images.dtype == np.float32
    assert labels.shape == (10000,) and labels.dtype == np.uint8 and labels.max() == 9
    assert len(data) == 10000 == data.count
    assert data.images.ctypes.data == images.ctypes.data        # the same managed array, pinned
    assert snn.datasets.FashionMnist.class_names[9] == "Ankle boot"
    assert 0.0 <= images.min() and images.max() <= 1.0
