"""A float64 run of the event-driven model, written from its equations (docs/event-driven.md), for
the tests of snn.event_driven and EvSpikeSim:

    u_i(t) = sum_j w_ij sum_{t_j < t} (exp(-(t - t_j)/tau) - exp(-(t - t_j)/tau_s))
             - theta * sum_{t_i < t} exp(-(t - t_i)/tau),        tau = 2 tau_s

Between two events a neuron whose state is (a, b) at time t0 has u(t) = b x - a x^2 with
x = exp(-(t - t0)/tau). In each interval [now, next] the neuron fires at once if u(now) >= theta,
else at the first t where u reaches theta: when the maximum of u over the interval (at the vertex
x = b/(2a) or at the interval's end) reaches theta, the crossing is found by bisection where u
rises (no quadratic formula). Reported times are rounded to float32, as snn reports them.
"""

import math

import numpy as np


def layer(weights, tau_s, threshold, indices, times):
    """Output spikes of one layer, per neuron: a list of float32 time arrays."""
    w = np.asarray(weights, dtype=np.float64)
    tau = float(np.float32(2.0) * np.float32(tau_s))
    theta = float(np.float32(threshold))
    times = np.asarray(times, dtype=np.float32).astype(np.float64)
    indices = np.asarray(indices, dtype=np.int64)
    n = w.shape[0]
    a, b, now = np.zeros(n), np.zeros(n), np.zeros(n)
    out = [[] for _ in range(n)]
    for g in range(len(times)):
        t = times[g]
        x = np.exp((now - t) / tau)
        col = w[:, indices[g]]
        a = a * x * x + col
        b = b * x + col
        now[:] = t
        nxt = times[g + 1] if g + 1 < len(times) else math.inf
        # Where u peaks in [now, next], vectorised to find the neurons that may fire.
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = (a > 0) & (b > 0) & (b < 2 * a)
            tv = np.where(inside, t - tau * np.log(np.where(inside, b / (2 * a), 1.0)), math.inf)
        peak = np.minimum(tv, nxt)
        peak = np.where(np.isinf(peak), t + 50 * tau, peak)
        xp = np.exp(-(peak - t) / tau)
        may = (b - a >= theta) | (b * xp - a * xp * xp >= theta)
        for i in np.nonzero(may)[0]:
            a[i], b[i], now[i] = _fire(a[i], b[i], t, nxt, tau, theta, out[i])
    return [np.asarray(s, dtype=np.float32) for s in out]


def _fire(a, b, now, nxt, tau, theta, spikes):
    def u(t):
        x = math.exp(-(t - now) / tau)
        return b * x - a * x * x

    while True:
        if b - a >= theta:
            t = now
        else:
            peak = nxt
            if a > 0 and 0 < b < 2 * a:
                tv = now - tau * math.log(b / (2 * a))
                peak = min(peak, tv)
            if math.isinf(peak):
                peak = now + 50 * tau
            if not u(peak) >= theta:
                return a, b, now
            lo, hi = now, peak
            for _ in range(200):
                if hi - lo <= 1e-15 * max(1.0, hi):
                    break
                mid = 0.5 * (lo + hi)
                if u(mid) >= theta:
                    hi = mid
                else:
                    lo = mid
            t = hi
        x = math.exp(-(t - now) / tau)
        a, b, now = a * x * x, b * x - theta, t
        spikes.append(t)


def per_neuron(indices, times, n_neurons):
    """A spike array as per-neuron float32 time arrays."""
    indices = np.asarray(indices)
    times = np.asarray(times, dtype=np.float32)
    return [times[indices == i] for i in range(n_neurons)]


def flatten(per):
    """Per-neuron times to (indices, times) sorted by (time, index)."""
    idx = np.concatenate([np.full(len(s), i, dtype=np.uint32) for i, s in enumerate(per)]) if per else np.zeros(0, np.uint32)
    tim = np.concatenate(per).astype(np.float32) if per else np.zeros(0, np.float32)
    order = np.lexsort((idx, tim))
    return idx[order], tim[order]


def assert_close(expected, actual, tolerance=1e-5, what=""):
    """Same spike count for every neuron and every time within `tolerance` seconds."""
    assert len(expected) == len(actual)
    for i, (e, g) in enumerate(zip(expected, actual)):
        assert len(e) == len(g), f"{what}neuron {i}: {len(e)} spikes in float64, got {len(g)}"
        if len(e):
            worst = float(np.max(np.abs(e.astype(np.float64) - g.astype(np.float64))))
            assert worst <= tolerance, f"{what}neuron {i}: a spike time differs by {worst} s"
