#!/usr/bin/python3
"""Small convolutional SNN on Fashion-MNIST: samples per second on the CPU, snn beside PyTorch on the same work.

Network (LIF everywhere: beta 0.9, threshold 1, spike on the updated membrane, reset by subtraction):
  Conv2d 1->16 3x3 pad 1 -> LIF -> MaxPool 2 -> Conv2d 16->32 3x3 pad 1 -> LIF -> MaxPool 2 -> Flatten
  -> Linear 1568->10 -> LIF, over T = 100 steps of Poisson-encoded test images, forward only.

Rows (median of --repeats runs after --warmup, each over one batch of --batch images):
  snn network      snn.networks.Sequential of snn.connections layers and Population layers, from Python:
                   each connection runs once over all T*B frames, each population runs its native recurrence
  torch loop       the usual PyTorch way: a Python loop over t running the whole network on frame t
  torch best       PyTorch layer by layer: each convolution/pool over all T*B frames at once, a Python loop
                   over t only for the LIF updates
Both libraries use the same weights; the share of identical output spikes is printed (the GEMM summation
orders differ, so a few threshold-close neurons may differ).

Usage: /usr/bin/python3 bench/conv_net.py [--steps 100 --batch 16 --threads 2]
Needs scripts/build first.
"""
import argparse
import os
import statistics
import sys
import time

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

BETA, THRESHOLD = 0.9, 1.0


def lif(shape, device, name):
    size = int(np.prod(shape))
    model = NeuronModel(NeuronKind.LIF, size, THRESHOLD, SpikeTiming.AFTER_INPUT, ResetMode.SUBTRACT, device)
    model.beta = BETA
    return Population(model, name, list(shape))


def snn_network(device):
    return Sequential(
        Conv2d(1, 16, 3, (28, 28), padding=1, seed=1, device=device, name="conv1"), lif((16, 28, 28), device, "lif1"),
        MaxPool2d(2, (28, 28), 16, device=device, name="pool1"),
        Conv2d(16, 32, 3, (14, 14), padding=1, seed=2, device=device, name="conv2"), lif((32, 14, 14), device, "lif2"),
        MaxPool2d(2, (14, 14), 32, device=device, name="pool2"),
        Flatten([32, 7, 7], device=device, name="flat"),
        Linear(1568, 10, seed=3, device=device, name="fc"), lif((10,), device, "lif3"))


def lif_torch(current, mem):
    mem = BETA * mem + current
    spk = (mem > THRESHOLD).float()
    return spk, mem - spk * THRESHOLD


def torch_loop(w, x):
    t_steps, b = x.shape[:2]
    m1, m2, m3 = torch.zeros(b, 16, 28, 28), torch.zeros(b, 32, 14, 14), torch.zeros(b, 10)
    out = []
    for t in range(t_steps):
        s1, m1 = lif_torch(F.conv2d(x[t], w["conv1"], padding=1), m1)
        s2, m2 = lif_torch(F.conv2d(F.max_pool2d(s1, 2), w["conv2"], padding=1), m2)
        s3, m3 = lif_torch(F.linear(F.max_pool2d(s2, 2).flatten(1), w["fc"]), m3)
        out.append(s3)
    return torch.stack(out)


def lif_sequence(current):
    mem = torch.zeros_like(current[0])
    out = []
    for t in range(current.shape[0]):
        spk, mem = lif_torch(current[t], mem)
        out.append(spk)
    return torch.stack(out)


def torch_best(w, x):
    t_steps, b = x.shape[:2]
    frames = x.reshape(t_steps * b, 1, 28, 28)
    s1 = lif_sequence(F.conv2d(frames, w["conv1"], padding=1).reshape(t_steps, b, 16, 28, 28))
    p1 = F.max_pool2d(s1.reshape(t_steps * b, 16, 28, 28), 2)
    s2 = lif_sequence(F.conv2d(p1, w["conv2"], padding=1).reshape(t_steps, b, 32, 14, 14))
    p2 = F.max_pool2d(s2.reshape(t_steps * b, 32, 14, 14), 2).reshape(t_steps * b, 1568)
    return lif_sequence(F.linear(p2, w["fc"]).reshape(t_steps, b, 10))


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    images = np.asarray(FashionMnist.load(train=False).images)[: args.batch]
    with PoissonEncoder(args.steps, seed=7).encode(images) as spikes:
        x = np.ascontiguousarray(np.asarray(spikes).reshape(args.steps, args.batch, 1, 28, 28))

    device = snn.Device.cpu(args.threads)
    net = snn_network(device)
    for name, seed in (("conv1", 1), ("conv2", 2), ("fc", 3)):  # centred weights: layers spike sparsely
        net[name].reset_weights("kaiming_uniform", gain=2.0, seed=seed)
    weights = {name: torch.from_numpy(np.array(net[name].parameters["weight"])) for name in ("conv1", "conv2", "fc")}
    x_snn = snn.Tensor.from_array(x, device=device)
    x_torch = torch.from_numpy(x)

    def run_snn():
        net.reset_state()
        net.forward(x_snn).dispose()

    net.reset_state()
    net.record("lif1.output", "lif2.output")
    with net.forward(x_snn) as out:
        ours = np.asarray(out.values)
    rates = [float(np.asarray(net.recorded[k]).mean()) for k in ("lif1.output", "lif2.output")] + [float(ours.mean())]
    net.record()
    with torch.no_grad():
        agree_loop = float((ours == torch_loop(weights, x_torch).numpy()).mean())
        agree_best = float((ours == torch_best(weights, x_torch).numpy()).mean())
        results = {
            "snn network": timed(run_snn, args.warmup, args.repeats),
            "torch loop": timed(lambda: torch_loop(weights, x_torch), args.warmup, args.repeats),
            "torch best": timed(lambda: torch_best(weights, x_torch), args.warmup, args.repeats),
        }

    print(f"conv SNN, T={args.steps}, B={args.batch}, {args.threads} threads; torch {torch.__version__} "
          f"({torch.backends.mkldnn.is_available() and 'oneDNN' or 'no oneDNN'}); output spikes "
          f"{int(ours.sum())}, spike rates per layer {', '.join(f'{r:.3f}' for r in rates)}, identical to torch loop {agree_loop:.4%}, to torch best {agree_best:.4%}")
    snn_median = statistics.median(results["snn network"])
    print("| implementation | median s/batch | samples/s | snn speed-up |")
    print("| --- | ---: | ---: | ---: |")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"| {name} | {med:.3f} | {args.batch / med:.1f} | {med / snn_median:.2f}x |")
    net.dispose()


if __name__ == "__main__":
    main()
