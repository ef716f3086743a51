#!/usr/bin/python3
"""Dense LIF layer benchmark: snn (from Python and from C#) beside PyTorch on the same work.

Work: Linear(n -> n) + LIF (beta 0.9, threshold 1, reset by subtraction), forward only, over T
steps and B samples of Poisson spikes, on the CPU; by default n in {512, 1024, 2048} at spike
probability p = 0.2, then n = 1024 at p = 0.05 and 0.5 to show where input sparsity stops paying.

Rows of each configuration, each the median over --rounds rounds of --repeats runs after --warmup
runs (spread = min..max); in every round each row runs its block of calls in turn, and the C#
process runs between rounds, so that load from other processes falls on all rows alike:
  snn matmul            Dense.forward over all T*B rows (the sparse-input path for spikes, else sgemm)
  snn layer             DenseLif.forward: the projection + the native LIF recurrence
  snn layer, dense path the same with SNN_LINEAR_PATH=dense: one OpenBLAS sgemm, as before the sparse path
  snn layer (C#)        DenseLif.Forward from C# (bench/csharp), to show the Python bridge's overhead
  torch loop            the usual PyTorch way: a Python loop over t calling nn.Linear and the LIF update
  torch best            one matmul over all steps (addmm on torch's BLAS), then the Python loop of LIF updates
  torch best (oneDNN)   the same with the matmul by oneDNN (torch.utils.mkldnn), conversions included
  torch matmul          the matmul alone in PyTorch (BLAS check), and with oneDNN
"torch best" in the summary is the faster of the two torch best rows.

Usage: /usr/bin/python3 bench/dense_lif.py [--sizes 512,1024,2048 --density 0.2
       --crossover-size 1024 --crossover-densities 0.05,0.5 --steps 500 --batch 16 --threads 2]
       /usr/bin/python3 bench/dense_lif.py --sweep [--sizes ... --sweep-densities ... --threads 1]
         times snn's dense and sparse linear paths alone over a grid of densities (the path rule's data)
Needs scripts/build first (snn's Python runtime and bench/csharp are built by it).
"""
import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.utils.mkldnn

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


def interleaved(fns, warmup, repeats):
    """One round: each function of `fns` in turn, warmed up and then timed `repeats` times in a
    row (a block per function, not call by call: OpenBLAS's and OpenMP's worker threads keep
    spinning for a while after a call, and would slow the next library's call down); returns
    name -> list of ms."""
    return {name: timed(fn, warmup, repeats) for name, fn in fns.items()}


def loaded_blas():
    """The BLAS/OpenBLAS files this process mapped, to show no peer runs on the reference BLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(os.path.realpath(p) for p in paths)


def torch_blas():
    """What torch's matmul runs on: its build's BLAS setting and the BLAS library it resolved."""
    config = torch.__config__.show()
    info = [part.strip() for part in config.replace("\n", ",").split(",") if "BLAS_INFO" in part or "USE_MKLDNN" in part]
    return ", ".join(info)


def lif_loop(cur, beta, threshold):
    """The LIF recurrence as a careful PyTorch user writes it: the membrane updated in place (mul_, add_, sub_) and
    each step's spikes written into one preallocated output; the same roundings as beta * mem + cur etc."""
    mem = torch.zeros(cur.shape[1], cur.shape[2])
    out = torch.empty_like(cur)
    for t in range(cur.shape[0]):
        mem.mul_(beta).add_(cur[t])
        spk = out[t]
        torch.gt(mem, threshold, out=spk)
        mem.sub_(spk * threshold)
    return out


def torch_loop(fc, x, beta, threshold):
    mem = torch.zeros(x.shape[1], fc.out_features)
    out = torch.empty(x.shape[0], x.shape[1], fc.out_features)
    for t in range(x.shape[0]):
        mem.mul_(beta).add_(fc(x[t]))
        spk = out[t]
        torch.gt(mem, threshold, out=spk)
        mem.sub_(spk * threshold)
    return out


def torch_best(fc, x, beta, threshold):
    return lif_loop(fc(x), beta, threshold)  # one matmul over all T*B rows, then the loop


def torch_best_onednn(fc_mkldnn, x, beta, threshold):
    flat = x.reshape(-1, x.shape[-1])
    cur = fc_mkldnn(flat.to_mkldnn()).to_dense().reshape(x.shape[0], x.shape[1], -1)
    return lif_loop(cur, beta, threshold)


@contextlib.contextmanager
def linear_path(path):
    """SNN_LINEAR_PATH for the calls inside (read by libsnn on every call); restored after."""
    old = os.environ.get("SNN_LINEAR_PATH")
    os.environ["SNN_LINEAR_PATH"] = path
    try:
        yield
    finally:
        if old is None:
            del os.environ["SNN_LINEAR_PATH"]
        else:
            os.environ["SNN_LINEAR_PATH"] = old


_csharp_built = False


def csharp_times(args, n, density):
    dll = os.path.join(ROOT, "bench", "csharp", "bin", "Release", "net10.0", "Snn.Bench.dll")
    global _csharp_built
    if not _csharp_built:  # always (incremental): the build also refreshes its copy of libsnn.so
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "csharp"), "-c", "Release", "-v", "quiet"],
                       check=True, capture_output=True)
        _csharp_built = True
    result = subprocess.run(
        ["dotnet", dll, "--in", str(n), "--out", str(n), "--steps", str(args.steps), "--batch", str(args.batch),
         "--warmup", str(args.warmup), "--repeats", str(args.repeats), "--threads", str(args.threads),
         "--density", repr(density)], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(name, times, reference=None):
    med = statistics.median(times)
    ratio = f"{reference / med:6.2f}x" if reference else ""
    return f"| {name:<21} | {med:9.1f} | {min(times):8.1f} .. {max(times):8.1f} | {ratio} |", med


def run_config(args, n, density):
    """Times every row for Linear(n -> n) + LIF on Poisson spikes of probability `density`."""
    rng = np.random.default_rng(0)
    x_np = (rng.random((args.steps, args.batch, n), dtype=np.float32) < density).astype(np.float32)
    x_torch = torch.from_numpy(x_np)
    torch.manual_seed(0)
    fc = torch.nn.Linear(n, n)
    fc_mkldnn = torch.utils.mkldnn.to_mkldnn(fc)

    device = snn.Device.cpu(args.threads)
    layer = DenseLif(n, n, beta=0.9, threshold=1.0, device=device, seed=2)
    # The same weights in both libraries, so both do the same work.
    with torch.no_grad():
        layer.weight.copy_from(fc.weight.numpy())
        layer.bias.copy_from(fc.bias.numpy())
    x_snn = snn.Tensor.from_array(x_np, device=device)
    currents = snn.Tensor.zeros([args.steps, args.batch, n], device=device)

    with torch.no_grad():
        ours = np.asarray(layer.forward(x_snn).values)
        layer.reset_state()  # each comparison starts from rest, as the torch loop does
        with linear_path("dense"):
            ours_dense = np.asarray(layer.forward(x_snn).values)
        theirs = torch_loop(fc, x_torch, 0.9, 1.0).numpy()
        theirs_onednn = torch_best_onednn(fc_mkldnn, x_torch, 0.9, 1.0).numpy()
    agree = {"snn": float((ours == theirs).mean()), "snn dense path": float((ours_dense == theirs).mean()),
             "torch oneDNN": float((theirs_onednn == theirs).mean())}

    def dense_path_layer():
        with linear_path("dense"):
            layer.forward(x_snn).dispose()

    flat = x_torch.reshape(-1, n)
    rows = {
        "snn matmul": lambda: layer.synapses.forward(x_snn, currents),
        "snn layer": lambda: layer.forward(x_snn).dispose(),
        "snn layer, dense path": dense_path_layer,
        "torch loop": lambda: torch_loop(fc, x_torch, 0.9, 1.0),
        "torch best": lambda: torch_best(fc, x_torch, 0.9, 1.0),
        "torch best (oneDNN)": lambda: torch_best_onednn(fc_mkldnn, x_torch, 0.9, 1.0),
        "torch matmul": lambda: torch.addmm(fc.bias, flat, fc.weight.t()),
        "torch matmul (oneDNN)": lambda: fc_mkldnn(flat.to_mkldnn()).to_dense(),
    }
    # Every round runs every row's block in turn, and the C# process between rounds, so that load
    # from other processes on this shared machine falls on all rows alike.
    results = {name: [] for name in rows}
    results["snn layer (C#)"], results["snn matmul (C#)"] = [], []
    with torch.no_grad():
        for _ in range(args.rounds):
            for name, times in interleaved(rows, args.warmup, args.repeats).items():
                results[name] += times
            if not args.no_csharp:
                cs = csharp_times(args, n, density)
                results["snn layer (C#)"] += cs["layer_ms"]
                results["snn matmul (C#)"] += cs["matmul_ms"]
    if args.no_csharp:
        del results["snn layer (C#)"], results["snn matmul (C#)"]

    flops = 2.0 * args.steps * args.batch * n * n
    print(f"\n### n = {n}, p = {density}: dense LIF {n}->{n}, T={args.steps}, B={args.batch}, {args.threads} threads")
    print(f"spikes equal to the PyTorch loop's on {agree['snn'] * 100:.3f}% of entries (snn), "
          f"{agree['snn dense path'] * 100:.3f}% (snn dense path), {agree['torch oneDNN'] * 100:.3f}% (torch oneDNN); "
          "float sums differ in order")
    print("| run                   | median ms | spread ms            | torch loop / run |")
    print("|---|---|---|---|")
    loop = statistics.median(results["torch loop"])
    medians = {}
    for name, times in results.items():
        line, medians[name] = row(name, times, loop)
        print(line)
    print(f"snn matmul: {medians['snn matmul']:.1f} ms, {flops / medians['snn matmul'] / 1e6:.1f} dense-equivalent "
          f"GFLOP/s; torch matmul {flops / medians['torch matmul'] / 1e6:.1f} GFLOP/s, "
          f"oneDNN {flops / medians['torch matmul (oneDNN)'] / 1e6:.1f} GFLOP/s")
    sys.stdout.flush()
    return medians


def sweep(args):
    """Dense.forward alone on the forced dense (sgemm) and sparse paths over a grid of densities,
    binary and non-binary inputs: the measurements behind the path rule's density limit."""
    densities = [float(q) for q in args.sweep_densities.split(",")]
    print(f"path sweep: Linear(n -> n) over T*B = {args.steps * args.batch} rows, {args.threads} threads, "
          f"median of {args.repeats} after {args.warmup}; load average before: {os.getloadavg()[0]:.1f}")
    print("| n | p | values | dense path ms | sparse path ms | dense / sparse |")
    print("|---|---|---|---|---|---|")
    device = snn.Device.cpu(args.threads)
    for n in [int(v) for v in args.sizes.split(",") if v]:
        rng = np.random.default_rng(1)
        layer = snn.connections.Dense(n, n, device=device, seed=3)
        out = snn.Tensor.zeros([args.steps, args.batch, n], device=device)
        for density in densities:
            for binary in (True, False):
                fire = rng.random((args.steps, args.batch, n), dtype=np.float32) < density
                values = np.ones(fire.shape, np.float32) if binary else rng.uniform(0.5, 1.5, fire.shape).astype(np.float32)
                x = snn.Tensor.from_array(np.where(fire, values, 0).astype(np.float32), device=device)
                med = {}
                for path in ("dense", "sparse"):
                    with linear_path(path):
                        med[path] = statistics.median(timed(lambda: layer.forward(x, out), args.warmup, args.repeats))
                print(f"| {n} | {density} | {'binary' if binary else 'non-binary'} | {med['dense']:.1f} "
                      f"| {med['sparse']:.1f} | {med['dense'] / med['sparse']:.2f}x |")
                sys.stdout.flush()
                x.dispose()
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="512,1024,2048", help="layer widths n (Linear(n -> n)) at --density")
    p.add_argument("--density", type=float, default=0.2, help="spike probability per input and step")
    p.add_argument("--crossover-size", type=int, default=1024)
    p.add_argument("--crossover-densities", default="0.05,0.5", help="more densities at --crossover-size ('' for none)")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3, help="rounds of interleaved Python rows, each followed by the C# run")
    p.add_argument("--no-csharp", action="store_true", help="skip the C# rows")
    p.add_argument("--no-crossing", action="store_true", help="skip the 100 MB numpy <-> snn.Tensor timings")
    p.add_argument("--sweep", action="store_true", help="only time snn's two linear paths over --sweep-densities")
    p.add_argument("--sweep-densities", default="0.02,0.05,0.1,0.2,0.35,0.5,0.6,0.7,0.8,1.0")
    args = p.parse_args()
    if args.sweep:
        sweep(args)
        return

    torch.set_num_threads(args.threads)
    configs = [(int(n), args.density) for n in args.sizes.split(",") if n]
    configs += [(args.crossover_size, float(q)) for q in args.crossover_densities.split(",") if q]
    print(f"dense LIF benchmark, T={args.steps}, B={args.batch}, {args.threads} threads, "
          f"{platform.processor() or platform.machine()}, torch {torch.__version__}, numpy {np.__version__}, "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"torch build: {torch_blas()}; torch.backends.mkldnn available: {torch.backends.mkldnn.is_available()}")
    summary = []
    for n, density in configs:
        summary.append((n, density, run_config(args, n, density)))
    print("BLAS libraries loaded: " + ", ".join(loaded_blas()))

    print(f"\n### Summary (medians, ms; load average after: {os.getloadavg()[0]:.1f})")
    cs = not args.no_csharp
    print("| n | p | snn layer | snn layer (C#) | snn, dense path | torch best (BLAS) | torch best (oneDNN) | torch loop "
          "| torch best / snn layer | torch loop / snn layer | dense path / snn layer |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, density, m in summary:
        best = min(m["torch best"], m["torch best (oneDNN)"])
        csharp = f"{m['snn layer (C#)']:.1f}" if cs else "-"
        print(f"| {n} | {density} | {m['snn layer']:.1f} | {csharp} | {m['snn layer, dense path']:.1f} "
              f"| {m['torch best']:.1f} | {m['torch best (oneDNN)']:.1f} | {m['torch loop']:.1f} "
              f"| {best / m['snn layer']:.2f}x | {m['torch loop'] / m['snn layer']:.2f}x "
              f"| {m['snn layer, dense path'] / m['snn layer']:.2f}x |")

    if args.no_crossing:
        return
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
