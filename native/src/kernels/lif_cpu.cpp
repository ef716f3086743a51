// The LIF recurrence on the CPU (snn/lif.h). Work is split over chunks of neurons: each task
// owns one batch row b and a contiguous run of n, keeps the membrane of its neurons in a
// small local array, and walks time inside. The inner loop over neurons is branch-free and
// contiguous, so gcc vectorises it; the kernel is compiled for AVX2 and for baseline x86-64
// and the best clone is picked at load time.
#include <algorithm>

#include "kernels/cpu_kernels.h"

namespace snn::cpu {
namespace {

constexpr int64_t kMaxChunk = 512;  // neurons per task: 2 KiB of state, stays in L1

enum class Membrane { kNone, kSeparate, kInPlace };

// One chunk: neurons [j0, j0 + n) of the flattened B*N, all T steps. The pointers passed
// in are already offset by j0. Distinct arrays never overlap (checked by the API layer);
// in place means membrane == current, which this body expresses as the same pointer.
template <ResetMode kReset, Membrane kMem>
__attribute__((always_inline)) inline void lif_chunk(const float* current, float* __restrict__ spikes,
                                                     float* membrane, float* __restrict__ v, int64_t steps,
                                                     int64_t stride, int64_t n, float beta, float threshold) {
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t row = t * stride;
    float* __restrict__ s = spikes + row;
    if constexpr (kMem == Membrane::kInPlace) {
      float* __restrict__ io = membrane + row;
      for (int64_t j = 0; j < n; ++j) {
        float x = beta * v[j] + io[j];
        io[j] = x;
        const bool fire = x > threshold;
        s[j] = fire ? 1.0f : 0.0f;
        if constexpr (kReset == ResetMode::kSubtract) x = fire ? x - threshold : x;
        if constexpr (kReset == ResetMode::kZero) x = fire ? 0.0f : x;
        v[j] = x;
      }
    } else {
      const float* __restrict__ c = current + row;
      float* __restrict__ m = kMem == Membrane::kSeparate ? membrane + row : nullptr;
      for (int64_t j = 0; j < n; ++j) {
        float x = beta * v[j] + c[j];
        if constexpr (kMem == Membrane::kSeparate) m[j] = x;
        const bool fire = x > threshold;
        s[j] = fire ? 1.0f : 0.0f;
        if constexpr (kReset == ResetMode::kSubtract) x = fire ? x - threshold : x;
        if constexpr (kReset == ResetMode::kZero) x = fire ? 0.0f : x;
        v[j] = x;
      }
    }
  }
}

template <ResetMode kReset>
__attribute__((always_inline)) inline void lif_chunk_dispatch(const LifArgs& a, int64_t j0, int64_t n,
                                                              float* __restrict__ v) {
  float* spikes = a.spikes + j0;
  if (a.membrane == nullptr) {
    lif_chunk<kReset, Membrane::kNone>(a.current + j0, spikes, nullptr, v, a.steps, a.neurons, n, a.beta,
                                       a.threshold);
  } else if (a.membrane == a.current) {
    lif_chunk<kReset, Membrane::kInPlace>(nullptr, spikes, a.membrane + j0, v, a.steps, a.neurons, n, a.beta,
                                          a.threshold);
  } else {
    lif_chunk<kReset, Membrane::kSeparate>(a.current + j0, spikes, a.membrane + j0, v, a.steps, a.neurons, n,
                                           a.beta, a.threshold);
  }
}

// Runs one chunk end to end: load the initial state, the recurrence, store the final state.
__attribute__((target_clones("avx2", "default"))) void lif_task(const LifArgs& a, int64_t j0, int64_t n) {
  alignas(64) float v[kMaxChunk];
  if (a.state != nullptr) {
    for (int64_t j = 0; j < n; ++j) v[j] = a.state[j0 + j];
  } else {
    for (int64_t j = 0; j < n; ++j) v[j] = 0.0f;
  }
  switch (a.reset) {
    case ResetMode::kSubtract: lif_chunk_dispatch<ResetMode::kSubtract>(a, j0, n, v); break;
    case ResetMode::kZero: lif_chunk_dispatch<ResetMode::kZero>(a, j0, n, v); break;
    case ResetMode::kNone: lif_chunk_dispatch<ResetMode::kNone>(a, j0, n, v); break;
  }
  if (a.state != nullptr) {
    for (int64_t j = 0; j < n; ++j) a.state[j0 + j] = v[j];
  }
}

}  // namespace

void lif(const LifArgs& a, int threads) {
  // The layout [T, B, N] flattened to [T, B*N]: neuron j = b * N + n; chunks never need to
  // respect the b boundary because neurons are independent.
  const int64_t neurons = a.neurons;
  if (neurons == 0) return;
  // Smaller chunks when there would be too few tasks to keep every thread busy.
  int64_t chunk = kMaxChunk;
  while (chunk > 16 && (neurons + chunk - 1) / chunk < 4 * static_cast<int64_t>(threads)) chunk /= 2;
  const int64_t tasks = (neurons + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && tasks > 1)
  for (int64_t task = 0; task < tasks; ++task) {
    const int64_t j0 = task * chunk;
    lif_task(a, j0, std::min(chunk, neurons - j0));
  }
}

}  // namespace snn::cpu
