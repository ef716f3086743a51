#!/usr/bin/python3
"""Convolutional SNNs on Fashion-MNIST: snn beside PyTorch written with care, on the same work.

Networks (forward only, T steps of Poisson-encoded test images, the same weights on both sides):
  small  Conv2d 1->16 3x3 pad 1 -> LIF -> MaxPool 2 -> Conv2d 16->32 3x3 pad 1 -> LIF -> MaxPool 2 -> Flatten
         -> Linear 1568->10 -> LIF (LIF: beta 0.9, threshold 1, spike on the updated membrane, reset by
         subtraction); Kaiming-uniform weights (gain 2), no bias.
  deep   the CNN shape conversion produces: two conv-BN-ReLU-pool blocks then dense layers, as a converted SNN:
         Conv2d 1->32 3x3 pad 1 (+bias) -> IF -> MaxPool 2 -> Conv2d 32->64 3x3 pad 1 (+bias) -> IF -> MaxPool 2
         -> Flatten -> Linear 3136->128 (+bias) -> IF -> Linear 128->10 (+bias) -> IF (IF: threshold 1, reset by
         subtraction); weights "converted": Kaiming draws with a batch norm (random gamma, beta, running
         statistics) folded into weight and bias, each layer scaled so that its neurons fire at rates of a few %.

Rows (all forward-only on the CPU with --threads threads on both sides):
  snn              snn.networks.Sequential of snn.connections layers and Population layers, from Python; each
                   convolution -> LIF -> max pooling runs as one fused native call (Sequential.fuse)
  snn, layer by layer  the same network with fuse = False: every layer its own native call over the block
  torch step loop  a Python loop over t running the whole network on frame t: channels_last tensors and
                   weights, membranes updated in place (mul_, add_, sub_)
  torch scripted   the same loop over t inside one torch.jit.script function (no Python per step; the LIF step
                   is a scripted function too)
  torch layerwise  layer by layer: each convolution and pooling over all T*B frames at once (channels_last),
                   then the LIF recurrence over t with in-place updates
Every torch row runs twice, with oneDNN (mkldnn) convolutions and with them disabled (torch's im2col + BLAS
path on OpenBLAS); the faster is reported and named. "best peer" is the fastest torch row.
Rows are timed in interleaved rounds (each row runs a block of calls in turn, every round), medians over all
rounds, spread min..max. Output spikes of every row are compared with snn's; the float sums of the
convolutions run in different orders, so a neuron whose membrane lands within rounding of the threshold may
differ: the script fails if fewer than 99.9% of the output entries agree.

Usage: /usr/bin/python3 bench/conv_net.py [--net small|deep] [--batch 1,16,128] [--steps 100] [--threads 2]
       [--rounds 3 --repeats 3 --warmup 1]
Needs scripts/build first.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
import snn  # noqa: E402
from snn.connections import Conv2d, Flatten, Linear, MaxPool2d  # noqa: E402
from snn.datasets import FashionMnist  # noqa: E402
from snn.encoding import PoissonEncoder  # noqa: E402
from snn.networks import Sequential  # noqa: E402
from snn.neurons import Population  # noqa: E402
from snn.neurons import NeuronKind, NeuronModel, ResetMode, SpikeTiming  # noqa: E402

THRESHOLD = 1.0
CL = torch.channels_last

# Layer lists: ("conv", name, c_in, c_out, image side, bias), ("neuron", name, shape), ("pool", name, channels,
# side), ("flatten", shape), ("linear", name, in, out, bias).
NETS = {
    "small": dict(beta=0.9, kind="lif", layers=[
        ("conv", "conv1", 1, 16, 28, False), ("neuron", "lif1", (16, 28, 28)), ("pool", "pool1", 16, 28),
        ("conv", "conv2", 16, 32, 14, False), ("neuron", "lif2", (32, 14, 14)), ("pool", "pool2", 32, 14),
        ("flatten", (32, 7, 7)), ("linear", "fc", 1568, 10, False), ("neuron", "lif3", (10,))]),
    "deep": dict(beta=1.0, kind="if", layers=[
        ("conv", "conv1", 1, 32, 28, True), ("neuron", "if1", (32, 28, 28)), ("pool", "pool1", 32, 28),
        ("conv", "conv2", 32, 64, 14, True), ("neuron", "if2", (64, 14, 14)), ("pool", "pool2", 64, 14),
        ("flatten", (64, 7, 7)), ("linear", "fc1", 3136, 128, True), ("neuron", "if3", (128,)),
        ("linear", "fc2", 128, 10, True), ("neuron", "if4", (10,))]),
}


def snn_network(spec, device):
    layers = []
    kind = NeuronKind.LIF if spec["kind"] == "lif" else NeuronKind.IF
    for seed, layer in enumerate(spec["layers"], start=1):
        if layer[0] == "conv":
            _, name, cin, cout, side, bias = layer
            layers.append(Conv2d(cin, cout, 3, (side, side), padding=1, bias=bias, seed=seed, device=device, name=name))
        elif layer[0] == "neuron":
            _, name, shape = layer
            model = NeuronModel(kind, int(np.prod(shape)), THRESHOLD, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT, device)
            if spec["kind"] == "lif":
                model.beta = spec["beta"]
            layers.append(Population(model, name, list(shape)))
        elif layer[0] == "pool":
            _, name, channels, side = layer
            layers.append(MaxPool2d(2, (side, side), channels, device=device, name=name))
        elif layer[0] == "flatten":
            layers.append(Flatten(list(layer[1]), device=device, name="flat"))
        else:
            _, name, fin, fout, bias = layer
            layers.append(Linear(fin, fout, bias=bias, seed=seed, device=device, name=name))
    return Sequential(*layers)


def converted_weights(spec, rng):
    """Kaiming draws with a batch norm folded in (w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)),
    each layer then scaled as data-based normalisation would, to modest firing rates (float32)."""
    out = {}
    scale = {"conv1": 0.45, "conv2": 0.22, "fc1": 0.2, "fc2": 0.5}
    for layer in spec["layers"]:
        if layer[0] not in ("conv", "linear"):
            continue
        name = layer[1]
        shape = (layer[3], layer[2], 3, 3) if layer[0] == "conv" else (layer[3], layer[2])
        fan_in = int(np.prod(shape[1:]))
        w = rng.uniform(-1, 1, shape) * np.sqrt(6.0 / fan_in)
        gamma, beta = rng.uniform(0.5, 1.5, shape[0]), rng.normal(0.0, 0.1, shape[0])
        mean, var = rng.normal(0.0, 0.1, shape[0]), rng.uniform(0.5, 1.5, shape[0])
        k = gamma / np.sqrt(var + 1e-5)
        w = w * k.reshape(-1, *([1] * (len(shape) - 1)))
        b = beta - mean * k
        out[name] = ((w * scale[name]).astype(np.float32), (b * scale[name] * 0.1).astype(np.float32))
    return out


# ---- PyTorch peers -------------------------------------------------------------------------------------------------

@torch.jit.script
def lif_step(mem: torch.Tensor, cur: torch.Tensor, beta: float, threshold: float) -> torch.Tensor:
    """One step in place: mem = beta * mem + cur; spike where mem > threshold; mem -= spike * threshold."""
    if beta != 1.0:
        mem.mul_(beta)
    mem.add_(cur)
    spk = (mem > threshold).to(mem.dtype)
    mem.sub_(spk * threshold)
    return spk


def lif_step_eager(mem, cur, beta, threshold):
    """lif_step for the Python loops: the same in-place operations, eager: scripted alone, a function this small saves
    nothing, and TorchScript's profiling executor re-specialises it for each layer's shape."""
    if beta != 1.0:
        mem.mul_(beta)
    mem.add_(cur)
    spk = (mem > threshold).to(mem.dtype)
    mem.sub_(spk * threshold)
    return spk


def lif_sequence(cur, beta, threshold):
    """The recurrence over axis 0 of cur [T, ...] (any memory format), in place, spikes written into a tensor like cur."""
    mem = torch.zeros_like(cur[0])
    out = torch.empty_like(cur)
    for t in range(cur.shape[0]):
        if beta != 1.0:
            mem.mul_(beta)
        mem.add_(cur[t])
        spk = out[t]
        torch.gt(mem, threshold, out=spk)  # a float out of a comparison: 0 or 1
        mem.sub_(spk * threshold)
    return out


def torch_params(spec, params):
    """Weights as a careful user holds them: convolution weights channels_last."""
    kinds = {layer[1]: layer[0] for layer in spec["layers"] if layer[0] in ("conv", "linear")}
    ws, bs = [], []
    for name, kind in kinds.items():
        w = torch.from_numpy(params[name][0])
        ws.append(w.contiguous(memory_format=CL) if kind == "conv" else w.contiguous())
        bs.append(None if params[name][1] is None else torch.from_numpy(params[name][1]))
    return ws, bs


def step_loop(spec, ws, bs, x):
    """The whole network per frame, a Python loop over t."""
    beta, t_steps, b = spec["beta"], x.shape[0], x.shape[1]
    mems = [torch.zeros((b,) + tuple(layer[2])).contiguous(memory_format=CL if len(layer[2]) == 3 else torch.contiguous_format)
            for layer in spec["layers"] if layer[0] == "neuron"]
    out = torch.empty(t_steps, b, mems[-1].shape[1])
    layers = spec["layers"]
    for t in range(t_steps):
        h = x[t]
        k = m = 0
        for layer in layers:
            if layer[0] == "conv":
                h = F.conv2d(h, ws[k], bs[k], padding=1)
                k += 1
            elif layer[0] == "linear":
                h = F.linear(h, ws[k], bs[k])
                k += 1
            elif layer[0] == "neuron":
                h = lif_step_eager(mems[m], h, beta, THRESHOLD)
                m += 1
            elif layer[0] == "pool":
                h = F.max_pool2d(h, 2)
            else:
                h = h.flatten(1)
        out[t] = h
    return out


@torch.jit.script
def scripted_small(x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor, w3: torch.Tensor, beta: float,
                   threshold: float) -> torch.Tensor:
    t_steps, b = x.shape[0], x.shape[1]
    m1 = torch.zeros(b, 16, 28, 28).contiguous(memory_format=torch.channels_last)
    m2 = torch.zeros(b, 32, 14, 14).contiguous(memory_format=torch.channels_last)
    m3 = torch.zeros(b, 10)
    out = torch.empty(t_steps, b, 10)
    for t in range(t_steps):
        s1 = lif_step(m1, F.conv2d(x[t], w1, None, 1, 1), beta, threshold)
        s2 = lif_step(m2, F.conv2d(F.max_pool2d(s1, 2), w2, None, 1, 1), beta, threshold)
        out[t] = lif_step(m3, F.linear(F.max_pool2d(s2, 2).flatten(1), w3), beta, threshold)
    return out


@torch.jit.script
def scripted_deep(x: torch.Tensor, ws: List[torch.Tensor], bs: List[torch.Tensor], threshold: float) -> torch.Tensor:
    t_steps, b = x.shape[0], x.shape[1]
    m1 = torch.zeros(b, 32, 28, 28).contiguous(memory_format=torch.channels_last)
    m2 = torch.zeros(b, 64, 14, 14).contiguous(memory_format=torch.channels_last)
    m3 = torch.zeros(b, 128)
    m4 = torch.zeros(b, 10)
    out = torch.empty(t_steps, b, 10)
    for t in range(t_steps):
        s1 = lif_step(m1, F.conv2d(x[t], ws[0], bs[0], 1, 1), 1.0, threshold)
        s2 = lif_step(m2, F.conv2d(F.max_pool2d(s1, 2), ws[1], bs[1], 1, 1), 1.0, threshold)
        s3 = lif_step(m3, F.linear(F.max_pool2d(s2, 2).flatten(1), ws[2], bs[2]), 1.0, threshold)
        out[t] = lif_step(m4, F.linear(s3, ws[3], bs[3]), 1.0, threshold)
    return out


def scripted(spec, ws, bs, x):
    if spec is NETS["small"]:
        return scripted_small(x, ws[0], ws[1], ws[2], spec["beta"], THRESHOLD)
    return scripted_deep(x, ws, [b for b in bs], THRESHOLD)


def layerwise(spec, ws, bs, x):
    """Each layer over all T*B frames at once; the LIF recurrence over t in a scripted loop."""
    beta, t_steps, b = spec["beta"], x.shape[0], x.shape[1]
    h = x.reshape(t_steps * b, *x.shape[2:])
    k = 0
    for layer in spec["layers"]:
        if layer[0] == "conv":
            h = F.conv2d(h, ws[k], bs[k], padding=1)
            k += 1
        elif layer[0] == "linear":
            h = F.linear(h, ws[k], bs[k])
            k += 1
        elif layer[0] == "neuron":
            h = lif_sequence(h.reshape(t_steps, b, *h.shape[1:]), beta, THRESHOLD).reshape(h.shape)
        elif layer[0] == "pool":
            h = F.max_pool2d(h, 2)
        else:
            h = h.flatten(1)
    return h.reshape(t_steps, b, -1)


PEERS = {"torch step loop": step_loop, "torch scripted": scripted, "torch layerwise": layerwise}


class Backend:
    """torch's convolutions on oneDNN (mkldnn, the default) or on its im2col + BLAS path (OpenBLAS)."""

    def __init__(self, onednn):
        self.onednn = onednn
        self.name = "oneDNN" if onednn else "OpenBLAS"

    def __enter__(self):
        self._flags = torch.backends.mkldnn.flags(enabled=self.onednn)
        self._flags.__enter__()

    def __exit__(self, *exc):
        self._flags.__exit__(*exc)


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def loaded_blas():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(os.path.realpath(p) for p in paths)


def run_batch(spec, net, params, ws, bs, images, args, batch, device):
    with PoissonEncoder(args.steps, seed=7).encode(images[:batch]) as spikes:
        x = np.ascontiguousarray(np.asarray(spikes).reshape(args.steps, batch, 1, 28, 28))
    x_snn = snn.Tensor.from_array(x, device=device)
    x_torch = torch.from_numpy(x)

    def run_snn():
        net.reset_state()
        net.forward(x_snn).dispose()

    net.reset_state()
    neurons = [layer[1] for layer in spec["layers"] if layer[0] == "neuron"]
    net.record(*[f"{n}.output" for n in neurons[:-1]])
    with net.forward(x_snn) as out:
        ours = np.asarray(out.values).reshape(args.steps, batch, -1)
    rates = [float(np.asarray(net.recorded[f"{n}.output"]).mean()) for n in neurons[:-1]] + [float(ours.mean())]
    net.record()

    def run_snn_layers():
        net.fuse = False
        try:
            run_snn()
        finally:
            net.fuse = True

    fns = {"snn": run_snn, "snn, layer by layer": run_snn_layers}
    agreement = {}
    with torch.no_grad():
        for peer, fn in PEERS.items():
            for onednn in (True, False):
                backend = Backend(onednn)
                with backend:
                    theirs = fn(spec, ws, bs, x_torch).numpy().reshape(ours.shape)
                name = f"{peer} ({backend.name})"
                agreement[name] = float((ours == theirs).mean())

                def call(fn=fn, backend=backend):
                    with backend:
                        fn(spec, ws, bs, x_torch)
                fns[name] = call
        results = {name: [] for name in fns}
        for _ in range(args.rounds):
            for name, fn in fns.items():
                results[name] += timed(fn, args.warmup, args.repeats)
    x_snn.dispose()
    return ours, rates, agreement, results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--net", choices=sorted(NETS), default="small")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--batch", default="16", help="comma-separated batch sizes")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of the torch rows")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    for name in list(PEERS):
        if name not in args.peers.split(","):
            del PEERS[name]
    spec = NETS[args.net]
    batches = [int(b) for b in args.batch.split(",")]

    images = np.asarray(FashionMnist.load(train=False).images)[: max(batches)]
    device = snn.Device.cpu(args.threads)
    net = snn_network(spec, device)
    if args.net == "small":
        for layer in spec["layers"]:
            if layer[0] in ("conv", "linear"):  # centred weights: layers spike sparsely
                net[layer[1]].reset_weights("kaiming_uniform", gain=2.0, seed={"conv1": 1, "conv2": 2, "fc": 3}[layer[1]])
        params = {layer[1]: (np.array(net[layer[1]].parameters["weight"]), None)
                  for layer in spec["layers"] if layer[0] in ("conv", "linear")}
    else:
        params = converted_weights(spec, np.random.default_rng(5))
        for name, (w, b) in params.items():
            net[name].parameters["weight"].copy_from(w)
            net[name].parameters["bias"].copy_from(b)
    ws, bs = torch_params(spec, params)

    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    print(f"conv SNN '{args.net}', T={args.steps}, {args.threads} threads, {platform.machine()}, "
          f"torch {torch.__version__} (oneDNN {'available' if torch.backends.mkldnn.is_available() else 'missing'}), "
          f"load average before: {' '.join(load_before)}")
    print(f"BLAS libraries loaded: {', '.join(loaded_blas())}")
    failed = False
    summary = []
    for batch in batches:
        ours, rates, agreement, results = run_batch(spec, net, params, ws, bs, images, args, batch, device)
        print(f"\nB={batch}: output spikes {int(ours.sum())}, spike rates per neuron layer "
              f"{', '.join(f'{r:.3f}' for r in rates)}")
        snn_median = statistics.median(results["snn"])
        print("| implementation | median ms/batch | spread ms | samples/s | time / snn | output spikes equal to snn's |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, times in results.items():
            med = statistics.median(times)
            agree = f"{agreement[name]:.4%}" if name in agreement else ""
            print(f"| {name} | {med * 1e3:.1f} | {min(times) * 1e3:.1f} .. {max(times) * 1e3:.1f} | "
                  f"{batch / med:.1f} | {med / snn_median:.2f}x | {agree} |")
            if name in agreement and agreement[name] < 0.999:
                failed = True
        best = min((n for n in results if n.startswith("torch")), key=lambda n: statistics.median(results[n]))
        ratio = statistics.median(results[best]) / snn_median
        summary.append((batch, snn_median, best, statistics.median(results[best]), ratio))
        print(f"best peer: {best}; snn is {ratio:.2f}x faster")
    with open("/proc/loadavg") as f:
        print(f"\nload average after: {' '.join(f.read().split()[:3])}")
    print("| B | snn ms | best peer | its ms | best peer / snn |")
    print("| ---: | ---: | --- | ---: | ---: |")
    for batch, ours_ms, best, theirs_ms, ratio in summary:
        print(f"| {batch} | {ours_ms * 1e3:.1f} | {best} | {theirs_ms * 1e3:.1f} | {ratio:.2f}x |")
    net.dispose()
    if failed:
        sys.exit("output spikes of a torch row differ from snn's on more than 0.1% of the entries")


if __name__ == "__main__":
    main()
