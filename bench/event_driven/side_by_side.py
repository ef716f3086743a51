"""snn's event-driven simulator next to EvSpikeSim 0.5.0 itself, in one process, on the same weights
and the same inputs (docs/benchmarks.md, "Event-driven simulator").

EvSpikeSim is built from its sources beside the repository (../shared/peers/EvSpikeSim) by
python/tests/evspikesim_peer.py, the module the tests use, and cached outside the repository.

Networks (every sample: 200 input spikes, uniformly random indices, distinct uniformly random times
in [0, 0.1) s; tau_s = 0.01 s and threshold 0.5 in every layer):
  small: 784 -> 1024 -> 10, weights U(-1, 1), U(-0.1, 0.1)
  large: 1000 -> 4096 -> 4096 -> 10, weights U(-1, 1), U(-0.07, 0.07), U(-0.05, 0.05)

For each network and each snn mode (exact, compat="evspikesim"): milliseconds per sample, median
and quartiles, for EvSpikeSim (infer of a sorted SpikeArray), snn one sample per call (infer of a
SpikeArray) and snn batched (infer_batch), timed twice: back to back (all EvSpikeSim samples, then
all snn samples) and alternating sample by sample. Both use every core of the machine.

    python3 bench/event_driven/side_by_side.py [small|large|both] [samples]
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(REPO / "python" / "tests"))

import evspikesim_peer  # noqa: E402
from snn.event_driven import ConstantInitializer, SpikeArray, SpikingNetwork  # noqa: E402

NETWORKS = {
    "small": [(784, 1024, 1.0), (1024, 10, 0.1)],
    "large": [(1000, 4096, 1.0), (4096, 4096, 0.07), (4096, 10, 0.05)],
}


def samples(n_inputs, count, seed):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        idx = rng.integers(0, n_inputs, 200).astype(np.uint32)
        times = (rng.random(200) * 0.1).astype(np.float32)
        if len(np.unique(times)) < 200:
            continue  # distinct times: EvSpikeSim's unstable sort would order ties its own way
        order = np.argsort(times)
        out.append((idx[order], times[order]))
    return out


def quartiles(ms):
    q = statistics.quantiles(ms, n=4)
    return f"{statistics.median(ms):8.3f} ({q[0]:.3f} .. {q[2]:.3f})"


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    names = ["small", "large"] if which == "both" else [which]
    es = evspikesim_peer.load()
    print(f"cores {os.cpu_count()}, load average before: {os.getloadavg()}")
    for name in names:
        layers = NETWORKS[name]
        count = int(sys.argv[2]) if len(sys.argv) > 2 else (60 if name == "small" else 6)
        rng = np.random.default_rng(1)
        weights = [rng.uniform(-bound, bound, (n, i)).astype(np.float32) for i, n, bound in layers]
        data = samples(layers[0][0], count, 2)
        theirs = es.SpikingNetwork("/tmp/evspikesim")
        for (i, n, _), w in zip(layers, weights):
            theirs.add_fc_layer(i, n, 0.01, 0.5, es.initializers.ConstantInitializer(0.0), 64).weights = w
        es_inputs = []
        for idx, times in data:
            sa = es.SpikeArray(idx, times)
            sa.sort()
            es_inputs.append(sa)
        snn_inputs = [SpikeArray(idx, times) for idx, times in data]
        theirs.infer(es_inputs[0])  # warm-up
        for compat in (None, "evspikesim"):
            ours = SpikingNetwork(compat=compat)
            for (i, n, _), w in zip(layers, weights):
                ours.add_fc_layer(i, n, 0.01, 0.5, ConstantInitializer(0.0), 64).weights = w
            ours.infer(snn_inputs[0])
            ours.infer_batch(snn_inputs[:2])

            def run_es(k):
                t0 = time.perf_counter()
                out = theirs.infer(es_inputs[k])
                return (time.perf_counter() - t0) * 1e3, len(out)

            def run_snn(k):
                t0 = time.perf_counter()
                out = ours.infer(snn_inputs[k])
                return (time.perf_counter() - t0) * 1e3, len(out)

            b2b_es = [run_es(k) for k in range(count)]
            b2b_snn = [run_snn(k) for k in range(count)]
            alt_es, alt_snn = [], []
            for k in range(count):
                alt_es.append(run_es(k))
                alt_snn.append(run_snn(k))
            hidden_es, hidden_snn = len(list(theirs[0].post_spikes)), len(ours[0].post_spikes)
            t0 = time.perf_counter()
            ours.infer_batch(snn_inputs)
            batched = (time.perf_counter() - t0) * 1e3 / count
            same = sum(a[1] == b[1] for a, b in zip(alt_es, alt_snn))
            mode = compat or "exact"
            e1, s1 = [m for m, _ in b2b_es], [m for m, _ in b2b_snn]
            e2, s2 = [m for m, _ in alt_es], [m for m, _ in alt_snn]
            print(f"\n{name} ({' -> '.join(str(l[0]) for l in layers)} -> {layers[-1][1]}), snn {mode}, {count} samples")
            print(f"  EvSpikeSim back to back  {quartiles(e1)} ms/sample")
            print(f"  snn back to back         {quartiles(s1)} ms/sample   ratio {statistics.median(e1) / statistics.median(s1):5.1f}x")
            print(f"  EvSpikeSim alternating   {quartiles(e2)} ms/sample")
            print(f"  snn alternating          {quartiles(s2)} ms/sample   ratio {statistics.median(e2) / statistics.median(s2):5.1f}x")
            print(f"  snn infer_batch          {batched:8.3f} ms/sample            ratio {statistics.median(e1) / batched:5.1f}x (vs back-to-back EvSpikeSim)")
            print(f"  output spike counts equal to EvSpikeSim's in {same}/{count} samples; "
                  f"last sample's hidden spikes: EvSpikeSim {hidden_es}, snn {hidden_snn}")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
