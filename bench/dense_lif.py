#!/usr/bin/python3
"""Dense LIF layer benchmark: snn (from Python and from C#) beside PyTorch on the same work.

Work: Linear(n_in -> n_out) + LIF (beta 0.9, threshold 1, reset by subtraction), forward only,
over T steps and B samples of Poisson spikes (p = 0.2), on the CPU.

Rows, each the median of --repeats runs after --warmup runs (spread = min..max):
  snn matmul       Linear.forward over all T*B rows (OpenBLAS sgemm): the layer's floor
  snn layer        DenseLif.forward: one sgemm + the native LIF recurrence
  snn layer (C#)   the same call from C# (bench/csharp), to show the Python bridge's overhead
  torch loop       the usual PyTorch way: a Python loop over t calling nn.Linear and the LIF update
  torch best       one matmul over all steps, then the Python loop of LIF updates
  torch matmul     the matmul alone in PyTorch (numpy/torch BLAS check)

Usage: /usr/bin/python3 bench/dense_lif.py [--steps 500 --batch 16 --n-in 1024 --n-out 1024 --threads 2]
Needs scripts/build first (snn's Python runtime and bench/csharp are built by it).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
import snn  # noqa: E402
from snn.layers import DenseLif  # noqa: E402


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def loaded_blas():
    """The BLAS/OpenBLAS files this process mapped, to show no peer runs on the reference BLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(os.path.realpath(p) for p in paths)


def torch_loop(fc, x, beta, threshold):
    mem = torch.zeros(x.shape[1], fc.out_features)
    out = []
    for t in range(x.shape[0]):
        mem = beta * mem + fc(x[t])
        spk = (mem > threshold).float()
        mem = mem - spk * threshold
        out.append(spk)
    return torch.stack(out)


def torch_best(fc, x, beta, threshold):
    cur = fc(x)  # one matmul over all T*B rows
    mem = torch.zeros(x.shape[1], fc.out_features)
    out = []
    for t in range(x.shape[0]):
        mem = beta * mem + cur[t]
        spk = (mem > threshold).float()
        mem = mem - spk * threshold
        out.append(spk)
    return torch.stack(out)


def csharp_times(args):
    dll = os.path.join(ROOT, "bench", "csharp", "bin", "Release", "net10.0", "Snn.Bench.dll")
    if not os.path.exists(dll):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "csharp"), "-c", "Release", "-v", "quiet"], check=True)
    result = subprocess.run(
        ["dotnet", dll, "--in", str(args.n_in), "--out", str(args.n_out), "--steps", str(args.steps),
         "--batch", str(args.batch), "--warmup", str(args.warmup), "--repeats", str(args.repeats),
         "--threads", str(args.threads)], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(name, times, reference=None):
    med = statistics.median(times)
    ratio = f"{reference / med:6.2f}x" if reference else ""
    return f"| {name:<18} | {med:9.1f} | {min(times):8.1f} .. {max(times):8.1f} | {ratio} |", med


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--n-in", type=int, default=1024)
    p.add_argument("--n-out", type=int, default=1024)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3, help="alternations of the Python and C# snn runs")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    x_np = (rng.random((args.steps, args.batch, args.n_in), dtype=np.float32) < 0.2).astype(np.float32)
    x_torch = torch.from_numpy(x_np)
    fc = torch.nn.Linear(args.n_in, args.n_out)

    device = snn.Device.cpu(args.threads)
    layer = DenseLif(args.n_in, args.n_out, beta=0.9, threshold=1.0, device=device, seed=2)
    # The same weights in both libraries, so both do the same work.
    with torch.no_grad():
        layer.weight.copy_from(fc.weight.numpy())
        layer.bias.copy_from(fc.bias.numpy())
    x_snn = snn.Tensor.from_array(x_np, device=device)
    currents = snn.Tensor.zeros([args.steps, args.batch, args.n_out], device=device)

    with torch.no_grad():
        ours = np.asarray(layer.forward(x_snn).spikes)
        theirs = torch_loop(fc, x_torch, 0.9, 1.0).numpy()
    agree = float((ours == theirs).mean())

    # Python and C# alternate over several rounds so that load from other processes on this
    # shared machine falls on both sides alike.
    results = {"snn matmul": [], "snn layer": [], "snn layer (C#)": [], "snn matmul (C#)": []}
    for _ in range(args.rounds):
        results["snn matmul"] += timed(lambda: layer.synapses.forward(x_snn, currents), args.warmup, args.repeats)
        results["snn layer"] += timed(lambda: layer.forward(x_snn).dispose(), args.warmup, args.repeats)
        cs = csharp_times(args)
        results["snn layer (C#)"] += cs["layer_ms"]
        results["snn matmul (C#)"] += cs["matmul_ms"]
    with torch.no_grad():
        results["torch loop"] = timed(lambda: torch_loop(fc, x_torch, 0.9, 1.0), args.warmup, args.repeats)
        results["torch best"] = timed(lambda: torch_best(fc, x_torch, 0.9, 1.0), args.warmup, args.repeats)
        flat = x_torch.reshape(-1, args.n_in)
        results["torch matmul"] = timed(lambda: torch.addmm(fc.bias, flat, fc.weight.t()), args.warmup, args.repeats)

    flops = 2.0 * args.steps * args.batch * args.n_in * args.n_out
    print(f"dense LIF {args.n_in}->{args.n_out}, T={args.steps}, B={args.batch}, {args.threads} threads, "
          f"{platform.processor() or platform.machine()}, torch {torch.__version__}, numpy {np.__version__}")
    print("BLAS libraries loaded: " + ", ".join(loaded_blas()))
    print(f"spikes equal to the PyTorch loop's on {agree * 100:.3f}% of entries (float sums differ in order)")
    print("| run                | median ms | spread ms            | torch loop / run |")
    print("|---|---|---|---|")
    loop = statistics.median(results["torch loop"])
    medians = {}
    for name, times in results.items():
        line, medians[name] = row(name, times, loop)
        print(line)
    print(f"snn matmul: {flops / medians['snn matmul'] / 1e6:.1f} GFLOP/s; "
          f"recurrence adds {100 * (medians['snn layer'] / medians['snn matmul'] - 1):.1f}% on top of the matmul")
    print(f"snn layer vs torch loop: {loop / medians['snn layer']:.2f}x faster; "
          f"vs torch best: {statistics.median(results['torch best']) / medians['snn layer']:.2f}x faster")
    print(f"Python / C# on the layer call: {medians['snn layer'] / medians['snn layer (C#)']:.3f}")

    # 100 MB of float32 across the bridge. In: a numpy array binds to a Tensor parameter as a
    # borrowed view, so from_array costs one native copy. Out: np.asarray copies once into a new
    # .NET array shared with numpy; copy_to writes into an existing numpy array (a span).
    big = np.ones(25_000_000, dtype=np.float32)
    into = timed(lambda: snn.Tensor.from_array(big).dispose(), 1, 5)
    tensor = snn.Tensor.from_array(big)
    back = timed(lambda: np.asarray(tensor), 1, 5)
    target = np.empty_like(big)
    back_into = timed(lambda: tensor.copy_to(target), 1, 5)
    assert np.array_equal(target, big)
    mb = big.nbytes / 1e6
    print(f"100 MB numpy -> snn.Tensor (from_array): {statistics.median(into):.1f} ms ({mb / statistics.median(into):.1f} GB/s)")
    print(f"100 MB snn.Tensor -> new numpy array (asarray): {statistics.median(back):.1f} ms, spread {min(back):.1f} .. {max(back):.1f}")
    print(f"100 MB snn.Tensor -> existing numpy array (copy_to): {statistics.median(back_into):.1f} ms ({mb / statistics.median(back_into):.1f} GB/s)")

if __name__ == "__main__":
    main()
