// The neuron family (snn/neuron.h) on the CPU.
//
// Feed-forward populations: each task owns one batch row b and a run of
// neurons, keeps their state and decays in small local arrays, and walks time inside; the
// loop over neurons is branch-free and contiguous so gcc vectorises it, and the task is
// compiled for AVX2 and baseline x86-64 with the best clone picked at load time.
//
// Recurrent populations need every neuron's spikes of step t before any neuron can take step
// t (or t + 1), so time is the outer loop of one OpenMP region with a barrier per phase. The
// recurrent input of neuron n is the sum of the rows W[pre, :] of the neurons that spiked, in
// ascending pre order: exact, independent of the thread count, and cheap when spikes are sparse.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/neuron_tasks.h"
#include "kernels/cpu_kernels.h"
#include "neurons/neuron_cpu.h"
#include "neurons/neuron_step.h"

namespace snn::cpu {
namespace {

using neuron::Cell;
using neuron::StepConfig;

constexpr int64_t kMaxChunk = kMaxNeuronChunk;

// The arrays of one task: state and decays of its neurons, and sinks for what is not recorded.
struct alignas(64) Local {
  float v[kMaxChunk], i[kMaxChunk], a[kMaxChunk], ref[kMaxChunk];
  float alpha[kMaxChunk], beta[kMaxChunk], gamma[kMaxChunk];
  float sink_membrane[kMaxChunk];
};

void load_decay(float* dst, const float* per_neuron, float scalar, bool clip, int64_t n0, int64_t n) {
  if (per_neuron != nullptr) {
    for (int64_t j = 0; j < n; ++j) dst[j] = neuron::clip_decay(per_neuron[n0 + j], clip);
  } else {
    for (int64_t j = 0; j < n; ++j) dst[j] = scalar;
  }
}

void load_state(float* dst, const float* state, int64_t offset, int64_t n) {
  if (state != nullptr) std::memcpy(dst, state + offset, static_cast<size_t>(n) * sizeof(float));
  else std::fill(dst, dst + n, 0.0f);
}

void store_state(float* state, const float* src, int64_t offset, int64_t n) {
  if (state != nullptr) std::memcpy(state + offset, src, static_cast<size_t>(n) * sizeof(float));
}

// All T steps of neurons [n0, n0 + n) of batch row b, state in `L`.
struct ChunkRun {
  const NeuronArgs& a;
  const StepConfig& c;
  Local& L;
  int64_t b, n0, n;

  template <NeuronModel M, SpikeTiming TM, bool kExtras>
  __attribute__((always_inline)) void operator()() const {
    const StepConfig cfg = c;  // a local copy: stores to the outputs cannot alias it
    const int64_t stride = a.batch * a.neurons;
    const int64_t base = b * a.neurons + n0;
    float* __restrict__ v = L.v;
    float* __restrict__ cur = L.i;
    float* __restrict__ adapt = L.a;
    float* __restrict__ ref = L.ref;
    const float* __restrict__ al = L.alpha;
    const float* __restrict__ be = L.beta;
    const float* __restrict__ ga = L.gamma;
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t row = t * stride + base;
      const float* x = a.input + row;  // may be the membrane record itself (in place)
      float* __restrict__ out = a.output + row;
      float* m = a.record_membrane != nullptr ? a.record_membrane + row : L.sink_membrane;
      if constexpr (M == NeuronModel::kAlif) {
        if (a.record_adaptation != nullptr) std::memcpy(a.record_adaptation + row, adapt, static_cast<size_t>(n) * 4);
      }
      if constexpr (kExtras) {
        if (a.record_refractory != nullptr) std::memcpy(a.record_refractory + row, ref, static_cast<size_t>(n) * 4);
      }
      for (int64_t j = 0; j < n; ++j) {
        Cell s{v[j], cur[j], adapt[j], ref[j]};
        float membrane;
        out[j] = neuron::step<M, TM, kExtras, false>(x[j], 0.0f, al[j], be[j], ga[j], cfg, s, membrane);
        m[j] = membrane;
        v[j] = s.v;
        if constexpr (M == NeuronModel::kCubaLif) cur[j] = s.i;
        if constexpr (M == NeuronModel::kAlif) adapt[j] = s.a;
        if constexpr (kExtras) ref[j] = s.ref;
      }
      if constexpr (M == NeuronModel::kCubaLif) {
        if (a.record_current != nullptr) std::memcpy(a.record_current + row, cur, static_cast<size_t>(n) * 4);
      }
    }
  }
};

__attribute__((target_clones("avx2", "default"))) void neuron_task(const NeuronArgs& a, const StepConfig& c,
                                                                   int64_t b, int64_t n0, int64_t n) {
  Local L;
  const int64_t offset = b * a.neurons + n0;
  load_state(L.v, a.v, offset, n);
  load_state(L.i, a.i, offset, n);
  load_state(L.a, a.a, offset, n);
  load_state(L.ref, a.refractory, offset, n);
  load_decay(L.alpha, a.alpha, a.alpha_scalar, a.clip, n0, n);
  load_decay(L.beta, a.beta, a.beta_scalar, a.clip, n0, n);
  load_decay(L.gamma, a.gamma, a.gamma_scalar, a.clip, n0, n);
  neuron::dispatch(a, ChunkRun{a, c, L, b, n0, n});
  store_state(a.v, L.v, offset, n);
  if (a.model == NeuronModel::kCubaLif) store_state(a.i, L.i, offset, n);
  if (a.model == NeuronModel::kAlif) store_state(a.a, L.a, offset, n);
  if (a.refractory_steps > 0) store_state(a.refractory, L.ref, offset, n);
}

void feed_forward(const NeuronArgs& a, int threads) {
  const StepConfig c = neuron::step_config(a);
  for_each_neuron_chunk(a.batch, a.neurons, threads,
                        [&](int64_t b, int64_t n0, int64_t n) { neuron_task(a, c, b, n0, n); });
}

// Time-outer recurrent run. The state lives in a.v/i/a/refractory (the API layer supplies
// zero-filled temporaries for what the caller did not pass), updated in place step by step.
// A task owns a run of post-synaptic neurons [n0, n0 + n) of every batch row, so each segment
// W[pre, n0 : n0 + n] is read once per step and reused for all B rows from L1.
struct RecurrentRun {
  const NeuronArgs& a;
  const StepConfig& c;
  int threads;

  template <NeuronModel M, SpikeTiming TM, bool kExtras>
  void operator()() const {
    const int64_t N = a.neurons, B = a.batch, stride = B * N;
    int64_t chunk = 256;
    while (chunk > 16 && (N + chunk - 1) / chunk < 4 * static_cast<int64_t>(threads)) chunk /= 2;
    const int64_t tasks = (N + chunk - 1) / chunk;
    const int nthreads = threads > 1 && tasks > 1 ? threads : 1;
#pragma omp parallel num_threads(nthreads)
    {
      std::vector<float> r(static_cast<size_t>(B * chunk));
      std::vector<const float*> sources(static_cast<size_t>(B));
      for (int64_t t = 0; t < a.steps; ++t) {
        const int64_t row = t * stride;
        if constexpr (TM == SpikeTiming::kBeforeInput) {
          // Phase 1: this step's spikes, from the state alone.
#pragma omp for schedule(static)
          for (int64_t task = 0; task < tasks; ++task) {
            const int64_t n0 = task * chunk, n = std::min(chunk, N - n0);
            for (int64_t b = 0; b < B; ++b) {
              for (int64_t j = 0; j < n; ++j) {
                const int64_t k = b * N + n0 + j;
                const Cell s{a.v[k], a.i != nullptr ? a.i[k] : 0.0f, a.a != nullptr ? a.a[k] : 0.0f,
                             a.refractory != nullptr ? a.refractory[k] : 0.0f};
                a.output[row + k] = neuron::spikes_before_input<M, kExtras>(s, c);
              }
            }
          }  // implicit barrier: every spike of step t is written
        }
        // Phase 2: recurrent input r[b, n] = sum over pre (ascending) with s[b, pre] != 0 of
        // s[b, pre] * W[pre, n], then the step.
#pragma omp for schedule(static)
        for (int64_t task = 0; task < tasks; ++task) {
          const int64_t n0 = task * chunk, n = std::min(chunk, N - n0);
          bool any = false;
          for (int64_t b = 0; b < B; ++b) {
            const float* src = TM == SpikeTiming::kBeforeInput ? a.output + row
                               : t > 0                         ? a.output + row - stride
                                                               : a.spikes;
            sources[b] = src != nullptr ? src + b * N : nullptr;
            any = any || src != nullptr;
            float* __restrict__ rb = r.data() + b * chunk;
            for (int64_t j = 0; j < n; ++j) rb[j] = 0.0f;
          }
          for (int64_t pre = 0; any && pre < N; ++pre) {
            const float* __restrict__ w = a.recurrent + pre * N + n0;
            for (int64_t b = 0; b < B; ++b) {
              const float sp = sources[b][pre];
              if (sp == 0.0f) continue;
              float* __restrict__ rb = r.data() + b * chunk;
              for (int64_t j = 0; j < n; ++j) rb[j] = rb[j] + sp * w[j];
            }
          }
          for (int64_t b = 0; b < B; ++b) {
            for (int64_t j = 0; j < n; ++j) {
              const int64_t nn = n0 + j, k = b * N + nn, e = row + k;
              Cell s{a.v[k], a.i != nullptr ? a.i[k] : 0.0f, a.a != nullptr ? a.a[k] : 0.0f,
                     a.refractory != nullptr ? a.refractory[k] : 0.0f};
              if (a.record_adaptation != nullptr) a.record_adaptation[e] = s.a;
              if (a.record_refractory != nullptr) a.record_refractory[e] = s.ref;
              const float alpha = a.alpha != nullptr ? neuron::clip_decay(a.alpha[nn], a.clip) : a.alpha_scalar;
              const float beta = a.beta != nullptr ? neuron::clip_decay(a.beta[nn], a.clip) : a.beta_scalar;
              const float gamma = a.gamma != nullptr ? neuron::clip_decay(a.gamma[nn], a.clip) : a.gamma_scalar;
              float membrane;
              const float o = neuron::step<M, TM, kExtras, true>(a.input[e], r[b * chunk + j], alpha, beta, gamma,
                                                                 c, s, membrane);
              if (TM != SpikeTiming::kBeforeInput) a.output[e] = o;  // before input: written in phase 1
              if (a.record_membrane != nullptr) a.record_membrane[e] = membrane;
              if (a.record_current != nullptr) a.record_current[e] = s.i;
              a.v[k] = s.v;
              if constexpr (M == NeuronModel::kCubaLif) a.i[k] = s.i;
              if constexpr (M == NeuronModel::kAlif) a.a[k] = s.a;
              if (a.refractory != nullptr) a.refractory[k] = s.ref;  // NULL when refractory_steps == 0
            }
          }
        }  // implicit barrier: step t is complete
      }
    }
    if (a.spikes != nullptr && a.timing == SpikeTiming::kAfterInput) {
      std::memcpy(a.spikes, a.output + (a.steps - 1) * stride, static_cast<size_t>(stride) * sizeof(float));
    }
  }
};

}  // namespace

void neuron(const NeuronArgs& a, int threads) {
  if (a.batch == 0 || a.neurons == 0) return;
  if (a.recurrent == nullptr) {
    feed_forward(a, threads);
  } else {
    const StepConfig c = neuron::step_config(a);
    neuron::dispatch(a, RecurrentRun{a, c, threads});
  }
}

void spike_count(const SpikeCountArgs& a, int threads) {
  constexpr int64_t kChunk = 1024;
  const int64_t tasks = (a.neurons + kChunk - 1) / kChunk;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && tasks > 1)
  for (int64_t task = 0; task < tasks; ++task) {
    const int64_t j0 = task * kChunk, n = std::min(kChunk, a.neurons - j0);
    float* __restrict__ counts = a.counts + j0;
    for (int64_t t = 0; t < a.steps; ++t) {
      const float* __restrict__ s = a.spikes + t * a.neurons + j0;
      for (int64_t j = 0; j < n; ++j) counts[j] = counts[j] + s[j];
    }
  }
}

void population_code(const PopulationCodeArgs& a, int threads) {
  const int64_t total = a.rows * a.classes;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && total > 4096)
  for (int64_t e = 0; e < total; ++e) {
    const float* in = a.input + e * a.group;  // row r, class c: input[r, c * group ...] = input[e * group ...]
    float acc = 0.0f;
    for (int64_t k = 0; k < a.group; ++k) acc = acc + in[k];
    a.output[e] = acc;
  }
}

void sum_pool(const SumPoolArgs& a, int threads) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && a.out_numel > 1024)
  for (int64_t o = 0; o < a.out_numel; ++o) a.output[o] = neuron::sum_pool_element(a, o);
}


}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::neuron_op, snn::cpu::neuron);
SNN_REGISTER_CPU_KERNEL(snn::spike_count_op, snn::cpu::spike_count);
SNN_REGISTER_CPU_KERNEL(snn::population_code_op, snn::cpu::population_code);
SNN_REGISTER_CPU_KERNEL(snn::sum_pool_op, snn::cpu::sum_pool);
