// The exact event-driven fully connected layer on the CPU (snn/event.h).
//
// The reference simulator (docs/event-driven.md) walks every input spike for every neuron, one neuron at a time. Here a task owns
// one sample and a block of kLanes consecutive neurons and walks the sample's input spikes
// once for the whole block: the decay, the weight accumulation and the test "may this neuron
// fire before the next input?" are branch-free loops over the lanes that gcc vectorises (the
// task is compiled for AVX-512 (x86-64-v4), AVX2 and baseline x86-64; the best clone is picked at
// load time).
// Only lanes that may fire take the scalar path that solves for the spike time.
//
// Every neuron keeps a (decaying with tau_s) and b (decaying with tau = 2 tau_s); u = b x - a x^2
// with x = exp(-dt / tau). Two solvers (Solver in fc_kernel.h):
//
// Exact (run_block_exact): a and b in float64. After an input is integrated, the lane may fire
// before the next input iff u >= theta now, or u reaches theta in (now, next]: u(next) >= theta or
// the parabola's vertex lies inside the interval above theta (b^2 >= 4 a theta, 2 a x_next < b <
// 2 a). That test needs no square root or division; only lanes passing it take the scalar solve
// (next_spike_exact), which fires at once when u >= theta (a crossing missed by rounding at the
// end of the previous interval, or one closer to now than rounding resolves) and otherwise takes
// the earliest root t = now + tau ln(2a / (b + sqrt(D))). A spike is never lost to the interval
// test, and u never stays above theta. Output times are the float64 times rounded to float32.
//
// Float32 (run_block): the reference simulator's arithmetic operation for operation, in float32, with
// its exp and log in double precision rounded to float (its unqualified calls on floats resolve
// to the double functions):
//   decay to an event at time t from the neuron's last event t_last (the previous input, or
//   its own last spike): x = exp((t_last - t) / tau); a *= x * x; b *= x
//   input spike: decay; a += w; b += w
//   fire: D = b*b - 4*a*theta; stop if D < 0; L = 2a / (b + sqrt(D)); stop if L <= 0;
//         t = t_cur + tau * ln(L); stop unless t_cur < t < t_next; decay to t; b -= theta;
//         record t; repeat (several spikes between two inputs)
// including its flaw: a crossing within rounding of an input time fails t_cur < t < t_next and
// the neuron stays silent until its membrane falls below threshold again.
//
// In both, the decay factor of an input is the same for every neuron whose last event was the
// previous input, so it is computed once per input spike, not once per neuron. Lanes that fired
// since the previous input get their own factor. With no FMA contraction (-ffp-contract=off) and
// correctly rounded sqrt and division in both the vector and the scalar code, the result of a
// neuron does not depend on its lane, its block, the thread count or the batch.
//
// Weights stay in the public [n_neurons, n_inputs] layout, which is the memory the public
// weights view exposes. The vector loop wants the kLanes weights of one input contiguous, i.e.
// the transposed layout [n_inputs, n_neurons], which the kernel builds in one of two ways:
//  - when a call's input spikes reuse each weight about once or more (long inputs, batches),
//    the whole matrix is rearranged once per call into a scratch buffer the layer keeps, as one
//    contiguous [n_inputs, kLanes] panel per block (a block's weights then span few pages and
//    stay in L2), and an input spike reads one 64-byte line per block;
//  - otherwise a task gathers its block's weights for a chunk of input spikes into a small
//    [chunk, kLanes] panel in L1, touching only the weights the spikes use.
// Both give the same numbers: only where the weights are read from differs.
//
// Layers with custom callbacks (event/callbacks.h) run run_block_callbacks instead: the same
// per-neuron arithmetic, neuron by neuron without SIMD (the callbacks are opaque calls into the
// user's library), with the reference simulator's trace decays and call order. Their spikes are bit-identical
// to a built-in layer with the same weights. A callback can only write its traces, so the synapse
// callbacks are not called when a layer has no synaptic trace, nor the neuron callbacks when it
// has no neuron trace; a layer with no trace at all runs like a built-in layer.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>

#include "core/error.h"
#include "device/cpu_parallel.h"
#include "event/callbacks.h"
#include "event/fc_kernel.h"

namespace snn::event {
namespace {

constexpr int kLanes = 16;       // neurons per task: two AVX2 vectors
constexpr int64_t kChunk = 128;  // input spikes per weight panel: 128 x 16 floats = 8 KiB
constexpr float kInf = std::numeric_limits<float>::infinity();
// Rearrange the weights into per-block panels when a call has at least n_inputs / kPanelRatio
// input spikes (each weight then used about once or more).
constexpr int64_t kPanelRatio = 2;

// The reference simulator's exp and log: the double-precision functions on float arguments. exp's result is
// rounded to float once; tau * log(L) is a double product, rounded to float once.
inline float exp_f32(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }
inline float tau_log_f32(float tau, float l) {
  return static_cast<float>(static_cast<double>(tau) * std::log(static_cast<double>(l)));
}

// What every neuron of a sample shares at input spike g.
struct Step {
  float decay;  // exp((t[g-1] - t[g]) / tau), t[-1] = 0: b's decay since the previous input
  float next;   // time of the next input spike of the sample, +inf after the last
  float bound;  // every L = exp((t - t[g]) / tau) of a spike accepted before `next` is < bound
};

// An upper bound, exclusive, of L for spikes accepted in (t, next). Acceptance needs
// fl(t + fl(tau * logf(L))) < next, hence t + fl(tau * logf(L)) < next (rounding is monotone
// and next is a float), hence ln(L) < (next - t) / tau * (1 + 2^-21) given logf's and the
// product's relative errors (below 2^-23 each). The margins used here (a relative 1e-5 and an
// absolute 1e-6 on the exponent, a relative 1e-6 on the result) exceed every rounding error of
// this float computation, so the bound only ever lets extra lanes through to the exact test.
inline float ratio_bound(float t, float next, float tau) {
  const float exponent = (next - t) / tau * 1.00001f + 1e-6f;
  if (!(exponent < 88.0f)) return kInf;  // exp(88) is near FLT_MAX (and next may be +inf)
  return std::exp(exponent) * 1.000001f;
}

// Output spikes as sortable keys: times are > 0, so their IEEE bits order like the values;
// ties order by neuron index.
inline uint64_t spike_key(float time, uint32_t neuron) {
  uint32_t bits;
  std::memcpy(&bits, &time, sizeof bits);
  return (static_cast<uint64_t>(bits) << 32) | neuron;
}

inline float key_time(uint64_t key) {
  const uint32_t bits = static_cast<uint32_t>(key >> 32);
  float time;
  std::memcpy(&time, &bits, sizeof time);
  return time;
}

// An output spike and the input interval it lies in: interval g is (t[g], t[g + 1]) of the
// sample, the last one open. Spikes are accepted strictly inside their interval, so sorting by
// interval and then by key within each interval sorts by key.
struct Emitted {
  uint64_t key;
  int64_t interval;
};

// The reference simulator's fire loop for one neuron whose state (a, b) is at time `now` and whose first
// candidate ratio `ratio` was computed from that state. Appends every spike before `next` and
// returns the time of the neuron's last event (`now` when it did not fire).
inline float fire(float& a, float& b, float now, float next, float ratio, float tau, float threshold, uint32_t neuron,
                  int64_t interval, std::vector<Emitted>& out) {
  float current = now;
  float l = ratio;
  for (;;) {
    const float t = current + tau_log_f32(tau, l);
    if (!(current < t && t < next)) break;
    const float x = exp_f32((current - t) / tau);
    a *= x * x;
    b *= x;
    current = t;
    out.push_back(Emitted{spike_key(t, neuron), interval});
    b -= threshold;
    const float d = b * b - 4.0f * a * threshold;
    if (d < 0.0f) break;
    l = 2.0f * a / (b + std::sqrt(d));
    if (l <= 0.0f) break;
  }
  return current;
}

// Where a task reads its weights: `panels` [blocks, n_inputs, kLanes] (zero past n_neurons),
// or, when it is null, the rows [n_neurons, n_inputs] gathered per chunk.
struct WeightSource {
  const float* rows;
  const float* panels;
  int64_t n_inputs;

  // Copies the weights of lanes [n0, n0 + lanes) for the input spikes indices[0 .. n) into
  // panel[s * kLanes + k]; lanes past `lanes` keep what panel held (zeros).
  void gather(int64_t n0, int lanes, const uint32_t* indices, int64_t n, float* panel) const {
    if (panels == nullptr) {
      for (int k = 0; k < lanes; ++k) {
        const float* row = rows + (n0 + k) * n_inputs;
        for (int64_t s = 0; s < n; ++s) panel[s * kLanes + k] = row[indices[s]];
      }
    } else {
      // One line per input spike, copied in a tight loop so that many cache misses overlap.
      const float* block_panel = panels + n0 * n_inputs;
      for (int64_t s = 0; s < n; ++s) {
        std::memcpy(panel + s * kLanes, block_panel + indices[s] * kLanes, kLanes * sizeof(float));
      }
    }
  }
};

// One task: neurons [n0, n0 + lanes) of one sample over its `count` input spikes. Appends the
// block's spikes to `out` (in interval order) and adds each lane's spike count to counts[lane].
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void run_block(const FcLayerArgs& layer, const WeightSource& weights,
                                                                const uint32_t* indices, const float* times,
                                                                const Step* steps, int64_t count, int64_t n0, int lanes,
                                                                std::vector<Emitted>& out, uint32_t* counts) {
  const float tau = layer.tau, threshold = layer.threshold;
  alignas(64) float a[kLanes] = {};
  alignas(64) float b[kLanes] = {};
  alignas(64) float own[kLanes] = {};  // a lane's last spike time, when it fired after the current input
  alignas(64) float ratio[kLanes];
  alignas(64) int32_t candidate[kLanes];
  alignas(64) float panel[kChunk * kLanes];  // weights of the block for a chunk of input spikes
  std::memset(panel, 0, sizeof panel);       // lanes past `lanes` keep zero weights and never fire
  uint32_t fired = 0;                        // bit k: lane k's last event is its own spike
  const size_t run_begin = out.size();

  for (int64_t c0 = 0; c0 < count; c0 += kChunk) {
    const int64_t n = std::min(kChunk, count - c0);
    weights.gather(n0, lanes, indices + c0, n, panel);
    for (int64_t s = 0; s < n; ++s) {
      const int64_t g = c0 + s;
      const float t = times[g];
      const Step step = steps[g];
      const float* w = panel + s * kLanes;
      const float xb = step.decay, xa = xb * xb;
      if (fired == 0) {
        for (int k = 0; k < kLanes; ++k) {
          a[k] = a[k] * xa + w[k];
          b[k] = b[k] * xb + w[k];
        }
      } else {
        alignas(64) float fa[kLanes], fb[kLanes];
        for (int k = 0; k < kLanes; ++k) {
          fa[k] = xa;
          fb[k] = xb;
        }
        for (uint32_t m = fired; m != 0; m &= m - 1) {
          const int k = __builtin_ctz(m);
          const float x = exp_f32((own[k] - t) / tau);
          fa[k] = x * x;
          fb[k] = x;
        }
        fired = 0;
        for (int k = 0; k < kLanes; ++k) {
          a[k] = a[k] * fa[k] + w[k];
          b[k] = b[k] * fb[k] + w[k];
        }
      }
      int32_t any = 0;
      for (int k = 0; k < kLanes; ++k) {
        const float d = b[k] * b[k] - 4.0f * a[k] * threshold;
        const float l = 2.0f * a[k] / (b[k] + std::sqrt(d));
        ratio[k] = l;
        const int32_t c = static_cast<int32_t>(d >= 0.0f) & static_cast<int32_t>(l > 1.0f) &
                          static_cast<int32_t>(l < step.bound);
        candidate[k] = c;
        any |= c;
      }
      if (any == 0) continue;
      for (int k = 0; k < lanes; ++k) {
        if (candidate[k] == 0) continue;
        const float last =
            fire(a[k], b[k], t, step.next, ratio[k], tau, threshold, static_cast<uint32_t>(n0 + k), g, out);
        if (last != t) {
          own[k] = last;
          fired |= 1u << k;
        }
      }
    }
  }
  for (size_t i = run_begin; i < out.size(); ++i) {
    ++counts[static_cast<uint32_t>(out[i].key) - static_cast<uint32_t>(n0)];
  }
}

// What every neuron of a sample shares at input spike g, for the exact solver.
struct ExactStep {
  double decay;       // exp((t[g-1] - t[g]) / tau), t[-1] = 0
  double next;        // time of the next input spike of the sample, +inf after the last
  double next_decay;  // exp((t[g] - next) / tau): x at the next input, 0 after the last
};

// The exact solver's next spike of a neuron whose state (a, b) is at time `now`, if one falls in
// [now, next): u = b - a >= theta fires at once; otherwise the earliest upward crossing, which
// exists only when a > 0, D = b^2 - 4 a theta >= 0 and the vertex x = b / (2a) lies ahead (b < 2a),
// at L = 1 / x_root = 2a / (b + sqrt(D)) (a root closer to now than rounding gives L <= 1: now).
inline bool next_spike_exact(double a, double b, double now, double next, double tau, double theta, double& t) {
  if (b - a >= theta) {
    t = now;
    return true;
  }
  if (!(a > 0.0)) return false;
  const double d = b * b - 4.0 * a * theta;
  if (d < 0.0 || !(b < 2.0 * a)) return false;
  const double l = 2.0 * a / (b + std::sqrt(d));
  t = l > 1.0 ? now + tau * std::log(l) : now;
  return t < next;
}

// The interval an exact spike at float time `time` (first computed in interval g) is filed under:
// the rounded time may equal the next input times.
inline int64_t exact_interval(float time, int64_t g, const float* times, int64_t count) {
  while (g + 1 < count && times[g + 1] <= time) ++g;
  return g;
}

// The exact solver's fire loop for one neuron whose state (a, b) is at time `now`: appends every
// spike before `next` and returns the time of the neuron's last event (`now` when it did not fire).
inline double fire_exact(double& a, double& b, double now, double next, double tau, double theta, uint32_t neuron,
                         int64_t g, const float* times, int64_t count, std::vector<Emitted>& out) {
  double t;
  while (next_spike_exact(a, b, now, next, tau, theta, t)) {
    const double x = std::exp((now - t) / tau);
    a *= x * x;
    b *= x;
    now = t;
    const float time = static_cast<float>(t);
    out.push_back(Emitted{spike_key(time, neuron), exact_interval(time, g, times, count)});
    b -= theta;
  }
  return now;
}

// One task of the exact solver: neurons [n0, n0 + lanes) of one sample over its `count` input
// spikes, as run_block (same weight panels, same outputs).
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void run_block_exact(
    const FcLayerArgs& layer, const WeightSource& weights, const uint32_t* indices, const float* times,
    const ExactStep* steps, int64_t count, int64_t n0, int lanes, std::vector<Emitted>& out, uint32_t* counts) {
  const double tau = layer.tau, threshold = layer.threshold, four_threshold = 4.0 * threshold;
  // The vector test lets lanes through to the scalar solve with a relative slack far above
  // the rounding of u, so that it never drops a lane the scalar solve would fire.
  const double near_threshold = threshold * (1.0 - 1e-9);
  alignas(64) double a[kLanes] = {};
  alignas(64) double b[kLanes] = {};
  alignas(64) double own[kLanes] = {};  // a lane's last spike time, when it fired after the current input
  alignas(64) int64_t candidate[kLanes];
  alignas(64) float panel[kChunk * kLanes];
  std::memset(panel, 0, sizeof panel);
  uint32_t fired = 0;
  const size_t run_begin = out.size();

  for (int64_t c0 = 0; c0 < count; c0 += kChunk) {
    const int64_t n = std::min(kChunk, count - c0);
    weights.gather(n0, lanes, indices + c0, n, panel);
    for (int64_t s = 0; s < n; ++s) {
      const int64_t g = c0 + s;
      const double t = times[g];
      const ExactStep step = steps[g];
      const float* w = panel + s * kLanes;
      const double xb = step.decay, xa = xb * xb;
      if (fired == 0) {
        for (int k = 0; k < kLanes; ++k) {
          a[k] = a[k] * xa + static_cast<double>(w[k]);
          b[k] = b[k] * xb + static_cast<double>(w[k]);
        }
      } else {
        alignas(64) double fa[kLanes], fb[kLanes];
        for (int k = 0; k < kLanes; ++k) {
          fa[k] = xa;
          fb[k] = xb;
        }
        for (uint32_t m = fired; m != 0; m &= m - 1) {
          const int k = __builtin_ctz(m);
          const double x = std::exp((own[k] - t) / tau);
          fa[k] = x * x;
          fb[k] = x;
        }
        fired = 0;
        for (int k = 0; k < kLanes; ++k) {
          a[k] = a[k] * fa[k] + static_cast<double>(w[k]);
          b[k] = b[k] * fb[k] + static_cast<double>(w[k]);
        }
      }
      const double xn = step.next_decay, xn2 = xn * xn;
      int64_t any = 0;
      for (int k = 0; k < kLanes; ++k) {
        const double u0 = b[k] - a[k];
        const double un = b[k] * xn - a[k] * xn2;
        const double d = b[k] * b[k] - four_threshold * a[k];
        const double two_a = 2.0 * a[k];
        const int64_t rising = static_cast<int64_t>(d >= 0.0) & static_cast<int64_t>(b[k] < two_a) &
                               (static_cast<int64_t>(b[k] > two_a * xn) | static_cast<int64_t>(un >= near_threshold));
        const int64_t c = static_cast<int64_t>(u0 >= near_threshold) | rising;
        candidate[k] = c;
        any |= c;
      }
      if (any == 0) continue;
      for (int k = 0; k < lanes; ++k) {
        if (candidate[k] == 0) continue;
        const double last = fire_exact(a[k], b[k], t, step.next, tau, threshold, static_cast<uint32_t>(n0 + k), g,
                                       times, count, out);
        if (last != t) {
          own[k] = last;
          fired |= 1u << k;
        }
      }
    }
  }
  for (size_t i = run_begin; i < out.size(); ++i) {
    ++counts[static_cast<uint32_t>(out[i].key) - static_cast<uint32_t>(n0)];
  }
}

// One task of a layer with callbacks: neurons [n0, n0 + lanes) of one sample, each run on its own
// with its traces (synaptic [lanes, n_inputs, n_synaptic] and neuron [lanes, n_neuron], zero on
// entry). The reference simulator's order: every event decays a, b and every trace from the neuron's last event;
// an input spike through synapse j then calls on_pre_synapse(w_j, ...) and on_pre_neuron(w_j, ...)
// before it is integrated; an output spike calls on_post_neuron, then on_post_synapse for every
// synapse in order, before the reset. The membrane arithmetic is the solver's (Real: double for
// the exact solver, float for the float32 one); traces are float32, decayed by exp(dt / tau_q).
template <Solver kSolver>
void run_block_callbacks(const FcLayerArgs& layer, const uint32_t* indices, const float* times, const Step* steps,
                         const ExactStep* exact_steps, int64_t count, int64_t n0, int lanes, std::vector<Emitted>& out,
                         uint32_t* counts, float* synaptic, float* neuron) {
  using Real = std::conditional_t<kSolver == Solver::kExact, double, float>;
  const Callbacks& cb = *layer.callbacks;
  const Real tau = layer.tau, threshold = layer.threshold;
  const int64_t inputs = layer.n_inputs;
  const size_t n_syn = cb.synaptic_taus.size(), n_neu = cb.neuron_taus.size();
  const auto trace_decay = [](Real dt, float trace_tau) {
    if constexpr (kSolver == Solver::kExact) {
      return static_cast<float>(std::exp(dt / static_cast<double>(trace_tau)));
    } else {
      return exp_f32(dt / trace_tau);
    }
  };
  for (int k = 0; k < lanes; ++k) {
    const uint32_t neuron_index = static_cast<uint32_t>(n0 + k);
    const float* w = layer.weights + static_cast<int64_t>(neuron_index) * inputs;
    float* syn = synaptic + static_cast<int64_t>(k) * inputs * static_cast<int64_t>(n_syn);
    float* neu = neuron + static_cast<size_t>(k) * n_neu;
    Real a = 0, b = 0, now = 0;
    const auto decay_to = [&](Real t) {
      Real x;
      if constexpr (kSolver == Solver::kExact) {
        x = std::exp((now - t) / tau);
      } else {
        x = exp_f32((now - t) / tau);
      }
      a *= x * x;
      b *= x;
      for (size_t q = 0; q < n_neu; ++q) neu[q] *= trace_decay(now - t, cb.neuron_taus[q]);
      for (size_t q = 0; q < n_syn; ++q) {
        const float f = trace_decay(now - t, cb.synaptic_taus[q]);
        for (int64_t j = 0; j < inputs; ++j) syn[j * static_cast<int64_t>(n_syn) + static_cast<int64_t>(q)] *= f;
      }
      now = t;
    };
    const auto on_spike = [&](Real t, int64_t interval) {
      decay_to(t);
      if (n_neu > 0) cb.on_post_neuron(neu);
      if (n_syn > 0) {
        for (int64_t i = 0; i < inputs; ++i) cb.on_post_synapse(w[i], neu, syn + i * static_cast<int64_t>(n_syn));
      }
      out.push_back(Emitted{spike_key(static_cast<float>(t), neuron_index), interval});
      ++counts[k];
      b -= threshold;
    };
    for (int64_t g = 0; g < count; ++g) {
      decay_to(times[g]);
      const uint32_t j = indices[g];
      if (n_syn > 0) cb.on_pre_synapse(w[j], neu, syn + static_cast<int64_t>(j) * static_cast<int64_t>(n_syn));
      if (n_neu > 0) cb.on_pre_neuron(w[j], neu);
      a += static_cast<Real>(w[j]);
      b += static_cast<Real>(w[j]);
      if constexpr (kSolver == Solver::kExact) {
        double t;
        while (next_spike_exact(a, b, now, exact_steps[g].next, tau, threshold, t)) {
          on_spike(t, exact_interval(static_cast<float>(t), g, times, count));
        }
      } else {
        const float next = steps[g].next;
        for (;;) {
          const float d = b * b - 4.0f * a * threshold;
          if (d < 0.0f) break;
          const float l = 2.0f * a / (b + std::sqrt(d));
          if (l <= 0.0f) break;
          const float t = now + tau_log_f32(tau, l);
          if (!(now < t && t < next)) break;
          on_spike(t, g);
        }
      }
    }
  }
}

struct Run {
  int thread;
  size_t begin, end;
};

// One worker's output spikes. Aligned to a cache line: every spike appended writes the vector's
// end pointer, which must not share a line with another worker's.
struct alignas(64) Arena {
  std::vector<Emitted> spikes;
};

using cpu::parallel_for;  // the device's worker threads (device/cpu_parallel.h)

// dst[(block * n_inputs + i) * kLanes + k] = src[(block * kLanes + k) * n_inputs + i], zero for
// neurons past n_neurons: one contiguous [n_inputs, kLanes] panel per block of neurons.
void make_panels(const float* src, int64_t n_neurons, int64_t n_inputs, int threads, std::vector<float>& dst) {
  constexpr int64_t kInputs = 256;  // inputs per piece of work: 16 KiB written, 16 rows read
  const int64_t blocks = (n_neurons + kLanes - 1) / kLanes, pieces = (n_inputs + kInputs - 1) / kInputs;
  dst.resize(static_cast<size_t>(blocks * n_inputs * kLanes));
  float* out = dst.data();
  parallel_for(blocks * pieces, threads, false, [&](int64_t work) {
    const int64_t block = work / pieces, i0 = work % pieces * kInputs, i1 = std::min(i0 + kInputs, n_inputs);
    float* panel = out + block * n_inputs * kLanes;
    for (int64_t k = 0; k < kLanes; ++k) {
      const int64_t n = block * kLanes + k;
      if (n < n_neurons) {
        const float* row = src + n * n_inputs;
        for (int64_t i = i0; i < i1; ++i) panel[i * kLanes + k] = row[i];
      } else {
        for (int64_t i = i0; i < i1; ++i) panel[i * kLanes + k] = 0.0f;
      }
    }
  });
}

}  // namespace

void fc_forward_cpu(const FcLayerArgs& layer, const SpikeBatchView& input, int threads, std::vector<float>& scratch,
                    LayerOutput& out) {
  const int64_t batch = input.batch, neurons = layer.n_neurons;
  const int64_t total = input.offsets[batch];
  const float tau = layer.tau;

  // Shared per-input quantities: one exp per input spike and sample, for all neurons.
  std::vector<uint8_t> first(static_cast<size_t>(total) + 1, 0);
  for (int64_t s = 0; s <= batch; ++s) first[static_cast<size_t>(input.offsets[s])] = 1;
  const bool exact = layer.solver == Solver::kExact;
  std::vector<Step> steps(exact ? 0 : static_cast<size_t>(total));
  std::vector<ExactStep> exact_steps(exact ? static_cast<size_t>(total) : 0);
  const float* times = input.times;
  parallel_for((total + 1023) / 1024, threads, false, [&](int64_t c) {
    const int64_t end = std::min(total, (c + 1) * 1024);
    for (int64_t g = c * 1024; g < end; ++g) {
      const float t = times[g];
      const float previous = first[g] ? 0.0f : times[g - 1];
      const float next = first[g + 1] ? kInf : times[g + 1];
      if (exact) {
        const double tau_d = tau, t_d = t;
        exact_steps[g] = ExactStep{std::exp((static_cast<double>(previous) - t_d) / tau_d), next,
                                   first[g + 1] ? 0.0 : std::exp((t_d - static_cast<double>(next)) / tau_d)};
      } else {
        steps[g] = Step{exp_f32((previous - t) / tau), next, ratio_bound(t, next, tau)};
      }
    }
  });

  // The per-block panels pay off once the call's spikes use each weight about once or more.
  const int64_t blocks = (neurons + kLanes - 1) / kLanes;
  WeightSource source{layer.weights, nullptr, layer.n_inputs};
  // Callbacks without traces could not change anything: such a layer runs like a built-in one.
  const Callbacks* callbacks =
      layer.callbacks != nullptr && layer.callbacks->synaptic_taus.empty() && layer.callbacks->neuron_taus.empty()
          ? nullptr
          : layer.callbacks;
  if (callbacks == nullptr && total >= layer.n_inputs / kPanelRatio) {
    make_panels(layer.weights, layer.n_neurons, layer.n_inputs, threads, scratch);
    source.panels = scratch.data();
  }

  // Tasks ordered block-major, so that the samples of one block run close in time and share
  // its weight rows in cache.
  const int64_t tasks = blocks * batch;
  std::vector<Arena> arenas(static_cast<size_t>(threads));
  const size_t reserve = static_cast<size_t>((neurons * layer.buffer_size + threads - 1) / threads);
  for (Arena& arena : arenas) arena.spikes.reserve(reserve);
  std::vector<Run> runs(static_cast<size_t>(tasks));
  std::vector<uint32_t> counts(static_cast<size_t>(batch * neurons), 0);
  const int64_t n_syn = callbacks ? static_cast<int64_t>(callbacks->synaptic_taus.size()) : 0;
  const int64_t n_neu = callbacks ? static_cast<int64_t>(callbacks->neuron_taus.size()) : 0;
  std::vector<float> synaptic_traces(static_cast<size_t>(batch * neurons * layer.n_inputs * n_syn), 0.0f);
  std::vector<float> neuron_traces(static_cast<size_t>(batch * neurons * n_neu), 0.0f);
  parallel_for(tasks, threads, true, [&](int64_t task) {
    const int64_t block = task / batch, sample = task % batch;
    const int thread = omp_get_thread_num();
    std::vector<Emitted>& arena = arenas[static_cast<size_t>(thread)].spikes;
    const size_t begin = arena.size();
    const int64_t s0 = input.offsets[sample], count = input.offsets[sample + 1] - s0;
    const int64_t n0 = block * kLanes;
    const int lanes = static_cast<int>(std::min<int64_t>(kLanes, neurons - n0));
    uint32_t* task_counts = counts.data() + sample * neurons + n0;
    if (count > 0 && callbacks != nullptr) {
      float* syn = synaptic_traces.data() + (sample * neurons + n0) * layer.n_inputs * n_syn;
      float* neu = neuron_traces.data() + (sample * neurons + n0) * n_neu;
      if (exact) {
        run_block_callbacks<Solver::kExact>(layer, input.indices + s0, times + s0, nullptr, exact_steps.data() + s0,
                                            count, n0, lanes, arena, task_counts, syn, neu);
      } else {
        run_block_callbacks<Solver::kFloat32>(layer, input.indices + s0, times + s0, steps.data() + s0, nullptr, count,
                                              n0, lanes, arena, task_counts, syn, neu);
      }
    } else if (count > 0 && exact) {
      run_block_exact(layer, source, input.indices + s0, times + s0, exact_steps.data() + s0, count, n0, lanes, arena,
                      task_counts);
    } else if (count > 0) {
      run_block(layer, source, input.indices + s0, times + s0, steps.data() + s0, count, n0, lanes, arena,
                task_counts);
    }
    runs[static_cast<size_t>(task)] = Run{thread, begin, arena.size()};
  });

  if (callbacks != nullptr) callbacks->rethrow_callback_error();

  // Per sample: bucket the blocks' spikes by input interval, then sort each (small) bucket.
  std::vector<int64_t> offsets(static_cast<size_t>(batch) + 1, 0);
  for (int64_t sample = 0; sample < batch; ++sample) {
    int64_t n = 0;
    for (int64_t block = 0; block < blocks; ++block) {
      const Run& r = runs[static_cast<size_t>(block * batch + sample)];
      n += static_cast<int64_t>(r.end - r.begin);
    }
    offsets[static_cast<size_t>(sample) + 1] = offsets[static_cast<size_t>(sample)] + n;
  }
  std::vector<uint32_t> out_indices(static_cast<size_t>(offsets.back()));
  std::vector<float> out_times(static_cast<size_t>(offsets.back()));
  parallel_for(batch, threads, true, [&](int64_t sample) {
    const size_t n = static_cast<size_t>(offsets[static_cast<size_t>(sample) + 1] - offsets[static_cast<size_t>(sample)]);
    if (n == 0) return;
    const int64_t intervals = input.offsets[sample + 1] - input.offsets[sample];
    std::vector<int64_t> start(static_cast<size_t>(intervals) + 1, 0);
    for (int64_t block = 0; block < blocks; ++block) {
      const Run& r = runs[static_cast<size_t>(block * batch + sample)];
      const Emitted* e = arenas[static_cast<size_t>(r.thread)].spikes.data();
      for (size_t i = r.begin; i < r.end; ++i) ++start[static_cast<size_t>(e[i].interval) + 1];
    }
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    std::vector<uint64_t> keys(n);
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int64_t block = 0; block < blocks; ++block) {
      const Run& r = runs[static_cast<size_t>(block * batch + sample)];
      const Emitted* e = arenas[static_cast<size_t>(r.thread)].spikes.data();
      for (size_t i = r.begin; i < r.end; ++i) keys[static_cast<size_t>(fill[static_cast<size_t>(e[i].interval)]++)] = e[i].key;
    }
    for (size_t g = 0; g + 1 < start.size(); ++g) {
      if (start[g + 1] - start[g] > 1) std::sort(keys.begin() + start[g], keys.begin() + start[g + 1]);
    }
    uint32_t* idx = out_indices.data() + offsets[static_cast<size_t>(sample)];
    float* tim = out_times.data() + offsets[static_cast<size_t>(sample)];
    for (size_t i = 0; i < n; ++i) {
      idx[i] = static_cast<uint32_t>(keys[i]);
      tim[i] = key_time(keys[i]);
    }
  });

  out.offsets.swap(offsets);
  out.indices.swap(out_indices);
  out.times.swap(out_times);
  out.neuron_counts.swap(counts);
  out.synaptic_traces.swap(synaptic_traces);
  out.neuron_traces.swap(neuron_traces);
}

}  // namespace snn::event
