// Neurons with traces (snn/trace_neuron.h) on the CPU.
//
// Each task owns one batch row b and a run of neurons, keeps their state in small local arrays
// and walks time inside; the loop over neurons is branch-free and contiguous so gcc vectorises
// it, and the task is compiled for AVX2 and baseline x86-64 with the best clone picked at load
// time (the layout of the neuron family's kernel, neurons/neuron_cpu.cpp).
#include <algorithm>
#include <cstring>

#include "kernels/neuron_tasks.h"
#include "trace_neurons/trace_neuron_cpu.h"

namespace snn::cpu {
namespace {

constexpr int64_t kMaxChunk = kMaxNeuronChunk;

struct alignas(64) Local {
  float v[kMaxChunk], trace[kMaxChunk], ref[kMaxChunk], th[kMaxChunk];
};

void load(float* dst, const float* state, int64_t offset, int64_t n, float rest) {
  if (state != nullptr) std::memcpy(dst, state + offset, static_cast<size_t>(n) * sizeof(float));
  else std::fill(dst, dst + n, rest);
}

void store(float* state, const float* src, int64_t offset, int64_t n) {
  if (state != nullptr) std::memcpy(state + offset, src, static_cast<size_t>(n) * sizeof(float));
}

struct ChunkRun {
  const TraceNeuronArgs& a;
  Local& L;
  int64_t b, n0, n;

  template <TraceNeuronModel M, bool kExp>
  __attribute__((always_inline)) void operator()() const {
    const TraceNeuronConsts c = a.c;  // a local copy: stores to the outputs cannot alias it
    const int64_t stride = a.batch * a.neurons;
    const int64_t base = b * a.neurons + n0;
    float* __restrict__ v = L.v;
    float* __restrict__ tr = L.trace;
    float* __restrict__ ref = L.ref;
    float* __restrict__ th = L.th;
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t row = t * stride + base;
      const float* __restrict__ x = a.input + row;
      float* __restrict__ out = a.spikes + row;
      float* __restrict__ trace_out = a.trace_out + row;
      for (int64_t j = 0; j < n; ++j) {
        trace::Cell s{v[j], tr[j], ref[j], th[j]};
        out[j] = trace::step<M, kExp>(x[j], c, s);
        trace_out[j] = s.trace;
        tr[j] = s.trace;
        if constexpr (M != TraceNeuronModel::kInput) {
          v[j] = s.v;
          ref[j] = s.ref;
        }
        if constexpr (M == TraceNeuronModel::kAdaptiveLif) th[j] = s.th;
      }
      if (a.record_v != nullptr) std::memcpy(a.record_v + row, v, static_cast<size_t>(n) * sizeof(float));
    }
  }
};

__attribute__((target_clones("avx2", "default"))) void task(const TraceNeuronArgs& a, int64_t b, int64_t n0,
                                                            int64_t n) {
  Local L;
  const int64_t offset = b * a.neurons + n0;
  const trace::Cell r = trace::rest(a.c);
  load(L.v, a.v, offset, n, r.v);
  load(L.trace, a.trace, offset, n, r.trace);
  load(L.ref, a.refractory, offset, n, r.ref);
  load(L.th, a.threshold, offset, n, r.th);
  trace::dispatch(a, ChunkRun{a, L, b, n0, n});
  store(a.trace, L.trace, offset, n);
  if (a.model == TraceNeuronModel::kInput) return;
  store(a.v, L.v, offset, n);
  store(a.refractory, L.ref, offset, n);
  if (a.model == TraceNeuronModel::kAdaptiveLif) store(a.threshold, L.th, offset, n);
}

}  // namespace

void trace_neuron(const TraceNeuronArgs& a, int threads) {
  for_each_neuron_chunk(a.batch, a.neurons, threads, [&](int64_t b, int64_t n0, int64_t n) { task(a, b, n0, n); });
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::trace_neuron_op, snn::cpu::trace_neuron);
