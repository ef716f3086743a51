#!/usr/bin/env python3
"""Dense LIF layer in PyTorch on a CUDA GPU, beside snn's native harness (snn_dense_lif_bench), on the same work.

Work per n: spikes [T, B, n] (density 0.2) through weights [n, n], then LIF (beta 0.95, threshold 1, spike on the
updated membrane, reset by subtraction) over T steps; inputs from bench/gpu/inputs.h's counter hash, recomputed here
in numpy. Rows per n, each the median of --repeats forwards after one warm-up, timed with CUDA events:
  torch loop   the usual way: a Python loop over t, one matmul and one LIF update per step
  torch best   one matmul over all T*B rows, then the loop over t for the LIF updates only
With --snn FILE (the harness's JSON lines), prints the table with snn's time and the ratios.

Usage: python3 bench/gpu/dense_lif_torch.py [--steps 500 --batch 16 --repeats 10 --sizes 4096,8192,16384 --snn FILE]
       (--device cpu checks the script on a machine without a GPU, timed with the wall clock)
"""
import argparse
import json
import time

import numpy as np
import torch

BETA, THRESHOLD = 0.95, 1.0


def uniform(count, seed):
    """bench/gpu/inputs.h's uniform(i, seed) for i in [0, count), in uint64 arithmetic that wraps like C++'s."""
    with np.errstate(over="ignore"):
        h = np.arange(count, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed) * np.uint64(0xD1B54A32D192ED03)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return (h >> np.uint64(40)).astype(np.float32) * np.float32(1.0 / 16777216.0)


def inputs(steps, batch, n, density):
    x = (uniform(steps * batch * n, 1) < np.float32(density)).astype(np.float32).reshape(steps, batch, n)
    scale = np.float32(4.0) / np.sqrt(np.float32(n))
    w = ((np.float32(2.0) * uniform(n * n, 2) - np.float32(1.0)) * scale).reshape(n, n)
    return x, w


def lif_step(current, mem, spk):
    """One step in place (mul_, add_, sub_), the spikes written into spk: what a careful PyTorch user writes."""
    mem.mul_(BETA).add_(current)
    torch.gt(mem, THRESHOLD, out=spk)
    mem.sub_(spk * THRESHOLD)


def torch_loop(x, w):
    mem = torch.zeros_like(x[0, :, : w.shape[0]])
    out = torch.empty(x.shape[0], x.shape[1], w.shape[0], device=x.device)
    for t in range(x.shape[0]):
        lif_step(x[t] @ w.T, mem, out[t])
    return out


def torch_best(x, w):
    current = (x.reshape(-1, x.shape[2]) @ w.T).reshape(x.shape[0], x.shape[1], w.shape[0])
    mem = torch.zeros_like(current[0])
    out = torch.empty_like(current)
    for t in range(current.shape[0]):
        lif_step(current[t], mem, out[t])
    return out


def timed(fn, repeats, cuda):
    fn()  # warm-up: cuBLAS handles, kernel caches
    times = []
    for _ in range(repeats):
        if cuda:
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            out = fn()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        else:  # --device cpu: a check of the script itself on machines without a GPU
            begin = time.perf_counter()
            out = fn()
            times.append((time.perf_counter() - begin) * 1e3)
    return float(np.median(times)), float(out.sum().item())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--density", type=float, default=0.2)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--sizes", default="4096,8192,16384")
    p.add_argument("--snn", help="JSON lines written by snn_dense_lif_bench")
    p.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    args = p.parse_args()
    cuda = args.device == "cuda"
    torch.backends.cuda.matmul.allow_tf32 = False  # snn's cuBLAS path is plain FP32
    ours = {}
    if args.snn:
        with open(args.snn) as f:
            for line in f:
                if line.startswith("{"):
                    row = json.loads(line)
                    ours[row["n"]] = row
    name = torch.cuda.get_device_name() if cuda else "CPU"
    print(f"dense LIF, T={args.steps}, B={args.batch}, density {args.density}; {name}, "
          f"torch {torch.__version__}")
    print("| n | snn ms | torch loop ms | torch best ms | best / snn | spikes snn / torch |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in (int(s) for s in args.sizes.split(",")):
        x_np, w_np = inputs(args.steps, args.batch, n, args.density)
        x, w = torch.from_numpy(x_np).to(args.device), torch.from_numpy(w_np).to(args.device)
        with torch.no_grad():
            loop_ms, _ = timed(lambda: torch_loop(x, w), args.repeats, cuda)
            best_ms, spikes = timed(lambda: torch_best(x, w), args.repeats, cuda)
        row = ours.get(n)
        snn_ms = f"{row['median_ms']:.2f}" if row else "-"
        ratio = f"{best_ms / row['median_ms']:.2f}x" if row else "-"
        counts = f"{row['spikes']:.0f} / {spikes:.0f}" if row else f"- / {spikes:.0f}"
        print(f"| {n} | {snn_ms} | {loop_ms:.2f} | {best_ms:.2f} | {ratio} | {counts} |", flush=True)
        del x, w
        if cuda:
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
