#!/usr/bin/python3
"""FFIAF benchmark: a snn.neurons.Population of CurrentIafModel (what Rockpool's FFIAF computes) beside Brian2 running Rockpool's FFIAFBrian model, on the same work.

Work: N neurons (default 1000) fed by N_in input currents (default 100) through weights [N_in, N], for T steps
(default 10,000 = 1 s at dt = 0.1 ms), rk4 like Rockpool, no refractory period, no noise. Input currents are
uniform in [0, 1), weights uniform in [0, 2e-4] A, bias 8 mA: about 30 Hz per neuron. The same float32 arrays
go to both sides. What is timed is what Rockpool's evolve() does: the projection input @ weights, then the
membrane integration over all steps, with the spikes as output.

Rows, each the median of --repeats runs after a warm-up (--warmup runs for snn; spread = min..max):
  snn exact / snn rk4        FFIAF.forward from Python (one call: each task projects 256 steps of its neurons'
                             currents with a small GEMM and integrates them while they are in cache)
  snn neurons only           the same with N_in = 1 and zero weights (integration and the [T, 1, N] output)
  brian2 <target>            numpy projection (float64, as Rockpool) + TimedArray + Network.run, codegen target
                             numpy (Brian2's fallback; one run), cython (Brian2's default when it compiles; the first run
                             compiles and is not counted), cpp_standalone (in a child process; its own run time
                             as Brian2 measures it, the C++ compile reported separately; Rockpool's runtime API
                             cannot use this mode)
Brian2 and snn use the same thread count (--threads; OpenBLAS, OpenMP). Spike counts are printed to show the
work is the same (rk4 on both sides; Brian2's TimedArray shifts input changes by 1/6 step, see docs/ffiaf.md).

Usage: /usr/bin/python3 bench/ffiaf_brian2.py [--neurons 1000 --inputs 100 --steps 10000 --threads 1
        --repeats 5 --targets numpy,cython,cpp_standalone]
Needs scripts/build first.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

ARGS = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ARGS.add_argument("--neurons", type=int, default=1000)
ARGS.add_argument("--inputs", type=int, default=100)
ARGS.add_argument("--steps", type=int, default=10000)
ARGS.add_argument("--threads", type=int, default=1)
ARGS.add_argument("--repeats", type=int, default=5)
ARGS.add_argument("--warmup", type=int, default=3, help="snn runs before the timed ones (thread pools, cached blocks)")
ARGS.add_argument("--brian-repeats", type=int, default=3, help="repeats of the cython row (numpy runs once)")
ARGS.add_argument("--targets", default="numpy,cython,cpp_standalone")
ARGS.add_argument("--standalone-child", default=None, help=argparse.SUPPRESS)
args = ARGS.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402

warnings.filterwarnings("ignore")
import brian2 as b2  # noqa: E402

b2.BrianLogger.log_level_error()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DT, TAU, V_THRESH, V_RESET, V_REST, BIAS = 1e-4, 20e-3, -55e-3, -65e-3, -65e-3, 8e-3
EQUATIONS = """
dv/dt = (v_rest - v + r_m * I_total) / tau_m : volt (unless refractory)
I_total = I_inp(t, i) + I_bias : amp
I_bias : amp
v_rest : volt
tau_m : second
r_m : ohm
v_thresh : volt
v_reset : volt
"""


def workload():
    rng = np.random.default_rng(0)
    x = rng.random((args.steps, 1, args.inputs), dtype=np.float32)
    w = rng.uniform(0.0, 2e-4, (args.inputs, args.neurons)).astype(np.float32)
    return x, w


def brian_network(n):
    """Rockpool's FFIAFBrian network (constructed once per layer, outside evolve)."""
    g = b2.NeuronGroup(n, EQUATIONS, threshold="v > v_thresh", reset="v = v_reset", refractory=0 * b2.second,
                       method="rk4", dt=DT * b2.second, name="spiking_ff_neurons")  # Rockpool's names: with
    g.v = V_REST * b2.volt
    g.v_rest = V_REST * b2.volt
    g.tau_m = TAU * b2.second
    g.r_m = 1 * b2.ohm
    g.v_thresh = V_THRESH * b2.volt
    g.v_reset = V_RESET * b2.volt
    g.I_bias = BIAS * b2.amp
    monitor = b2.SpikeMonitor(g, name="layer_spikes")  # fixed names the cython code is the same on every run
    return g, monitor, b2.Network(g, monitor, name="ff_spiking_layer")  # and comes from Brian2's cache


def brian_evolve(net, x, w):
    """What FFIAFBrian.evolve does with the input: project in numpy (float64), wrap in a TimedArray, run."""
    projected = x[:, 0].astype(np.float64) @ w.astype(np.float64)
    I_inp = b2.TimedArray(projected * b2.amp, dt=DT * b2.second, name="external_input")  # Rockpool names it
    net.run(args.steps * DT * b2.second, namespace={"I_inp": I_inp})


def brian_runtime(target, x, w, repeats):
    b2.prefs.codegen.target = target
    times, spikes = [], None
    for r in range(repeats + 1):  # the first run compiles (cython) or warms up: not counted
        b2.start_scope()
        _, monitor, net = brian_network(args.neurons)
        start = time.perf_counter()
        brian_evolve(net, x, w)
        elapsed = (time.perf_counter() - start) * 1e3
        if r > 0 or repeats == 0:
            times.append(elapsed)
        spikes = len(monitor.t_)
    return times, spikes


def standalone_child(folder):
    b2.set_device("cpp_standalone", directory=folder, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    x, w = workload()
    _, monitor, net = brian_network(args.neurons)
    start = time.perf_counter()
    projected = x[:, 0].astype(np.float64) @ w.astype(np.float64)
    projection_ms = (time.perf_counter() - start) * 1e3
    net.run(args.steps * DT * b2.second, namespace={"I_inp": b2.TimedArray(projected * b2.amp, dt=DT * b2.second)})
    start = time.perf_counter()
    b2.device.build(directory=folder, run=True, compile=True)
    total = (time.perf_counter() - start) * 1e3
    run_ms = b2.device._last_run_time * 1e3
    print(json.dumps({"run_ms": run_ms + projection_ms, "build_ms": total - run_ms, "spikes": len(monitor.t_)}))


def brian_standalone(repeats):
    times, build, spikes = [], [], None
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--standalone-child", folder,
                                  "--neurons", str(args.neurons), "--inputs", str(args.inputs), "--steps",
                                  str(args.steps), "--threads", str(args.threads)],
                                 check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        times.append(result["run_ms"])
        build.append(result["build_ms"])
        spikes = result["spikes"]
    return times, spikes, statistics.median(build)


def ours(x, w, integrator, repeats, bias=BIAS):
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import snn
    from snn.neurons import CurrentIafModel, Population
    snn.Device.default.num_threads = args.threads
    times, spikes = [], None
    with Population(CurrentIafModel(w, bias, dt=DT, tau_mem=TAU, v_thresh=V_THRESH, v_reset=V_RESET, v_rest=V_REST,
                                    integrator=integrator)) as layer:
        for r in range(args.warmup + repeats):
            layer.reset_state()
            start = time.perf_counter()
            with layer.forward(x) as out:
                elapsed = (time.perf_counter() - start) * 1e3
                if r >= args.warmup:
                    times.append(elapsed)
                    spikes = int(np.asarray(out.values).sum())
    return times, spikes


def row(name, times, spikes, reference=None, note=""):
    med = statistics.median(times)
    ratio = f"{med / reference:8.1f}x" if reference else " " * 9
    print(f"{name:28s} {med:10.1f} ms  ({min(times):.1f}..{max(times):.1f}, n={len(times)})  {ratio}"
          f"  spikes {spikes}{note}")
    return med


def main():
    if args.standalone_child:
        standalone_child(args.standalone_child)
        return
    x, w = workload()
    print(f"FFIAF: {args.neurons} neurons, {args.inputs} inputs, {args.steps} steps of {DT * 1e3} ms, "
          f"{args.threads} thread(s); {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"numpy {np.__version__}, brian2 {b2.__version__}")
    results = {}
    for integrator in ("rk4", "exact"):
        results[f"snn {integrator}"] = ours(x, w, integrator, args.repeats)
    results["snn neurons only"] = ours(np.zeros((args.steps, 1, 1), np.float32),
                                       np.zeros((1, args.neurons), np.float32), "rk4", args.repeats,
                                       bias=BIAS + args.inputs * 0.5 * 1e-4)  # the same mean drive
    peers = {}
    for target in [t for t in args.targets.split(",") if t]:
        if target == "cpp_standalone":
            times, spikes, build = brian_standalone(max(1, min(args.brian_repeats, 2)))
            peers[f"brian2 {target}"] = (times, spikes, f"  (+{build / 1e3:.0f} s C++ build, not counted)")
        else:
            times, spikes = brian_runtime(target, x, w, 0 if target == "numpy" else args.brian_repeats)
            peers[f"brian2 {target}"] = (times, spikes, "")
    print(f"{'':28s} {'median':>10s}     {'(spread)':20s}   ratio = time / snn rk4")
    ref = row("snn rk4", *results["snn rk4"])
    row("snn exact", *results["snn exact"], reference=ref)
    row("snn neurons only (N_in=1)", *results["snn neurons only"], reference=ref)
    for name, (times, spikes, note) in peers.items():
        row(name, times, spikes, reference=ref, note=note)


if __name__ == "__main__":
    main()
