// The integrate-and-fire population (snn/iaf.h) on the CPU. Each task owns one batch row and a
// run of neurons, keeps their state in small local arrays and walks time inside, so a step reads
// and writes contiguous memory; the noise-free loop over neurons is branch-free enough for gcc
// to vectorise it (compiled for AVX-512, AVX2 and baseline x86-64, the best clone picked at load time).
//
// With a projection (args.weight), each task also computes its own currents: a single-threaded
// GEMM of kProjectSteps steps into a task-local buffer that stays in L2, consumed at once. Against
// one big GEMM into a [block, B, N] scratch this saves the round trip of the currents through
// memory and the hand-over between OpenBLAS's threads and ours. Each current is the same dot
// product in the same order whatever the thread count, so results do not depend on it.
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/neuron_tasks.h"
#include "current_iaf/current_iaf_cpu.h"

namespace snn::cpu {
namespace {

constexpr int64_t kMaxChunk = kMaxNeuronChunk;
constexpr int64_t kProjectSteps = 256;  // 256 steps x 512 neurons x 4 B = 512 KiB of currents per thread (L2)

// The neurons' state and constants for one task: batch row b, neurons [n0, n0 + n).
struct Task {
  const CurrentIafArgs& a;
  int64_t b, n0, n;
  float* v;
  float* c;
  const double* bias;
  float* sink;
  float* currents;  // kProjectSteps x kMaxChunk floats of this thread, with a projection
};

// Steps [t0, t0 + steps) of a task; currents[(t - t0) * current_stride + j] is neuron n0 + j's.
// kPerNeuron: each neuron's constants are read from args.per_neuron instead of the scalars.
template <bool kNoise, bool kPerNeuron>
__attribute__((always_inline)) inline void run(const Task& k, int64_t t0, int64_t steps,
                                               const float* __restrict__ currents, int64_t current_stride) {
  const CurrentIafArgs cfg = k.a;  // a local copy: stores to the outputs cannot alias it
  const int64_t stride = cfg.batch * cfg.neurons;
  const int64_t base = k.b * cfg.neurons + k.n0;
  float* __restrict__ v = k.v;
  float* __restrict__ c = k.c;
  const double* __restrict__ bias = k.bias;
  const iaf::Neuron uniform = iaf::neuron(cfg, 0);  // the scalars, when not per neuron
  for (int64_t t = t0; t < t0 + steps; ++t) {
    const int64_t row = t * stride + base;
    const float* __restrict__ x = currents + (t - t0) * current_stride;
    float* __restrict__ out = cfg.spikes + row;
    float* __restrict__ m = cfg.record_v != nullptr ? cfg.record_v + row : k.sink;
    for (int64_t j = 0; j < k.n; ++j) {
      const iaf::Neuron nj = kPerNeuron ? iaf::neuron(cfg, k.n0 + j) : uniform;
      double current = static_cast<double>(x[j]) + bias[j];
      if constexpr (kNoise) {
        current += nj.noise_scale *
                   iaf::normal(cfg.seed, cfg.step0 + static_cast<uint64_t>(t), static_cast<uint64_t>(base + j));
      }
      float vj = v[j], cj = c[j];
      out[j] = iaf::step(cfg, nj, current, vj, cj);
      v[j] = vj;
      c[j] = cj;
      m[j] = vj;
    }
  }
}

template <bool kNoise, bool kPerNeuron>
__attribute__((always_inline)) inline void run_all(const Task& k) {
  const CurrentIafArgs& a = k.a;
  if (a.weight == nullptr) {
    const int64_t stride = a.batch * a.neurons;
    run<kNoise, kPerNeuron>(k, 0, a.steps, a.current + k.b * a.neurons + k.n0, stride);
    return;
  }
  // currents[t, j] = sum_i input[t, b, i] * weight[n0 + j, i], kProjectSteps at a time. Inside our
  // parallel region OpenBLAS's OpenMP build runs the GEMM on the calling thread.
  // Leading dimensions of at least 1, as BLAS requires even for an empty sum (no inputs: currents 0).
  const blasint n = static_cast<blasint>(k.n), inputs = static_cast<blasint>(a.inputs);
  const blasint lda = static_cast<blasint>(std::max<int64_t>(1, a.batch * a.inputs));
  const bool by_input = a.weight_input_major;  // weight [inputs, N]: neuron n0's column starts at n0
  const blasint ldb = std::max<blasint>(1, by_input ? static_cast<blasint>(a.neurons) : inputs);
  const float* const w = a.weight + (by_input ? k.n0 : k.n0 * a.inputs);
  for (int64_t t0 = 0; t0 < a.steps; t0 += kProjectSteps) {
    const int64_t steps = std::min(kProjectSteps, a.steps - t0);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, by_input ? CblasNoTrans : CblasTrans, static_cast<blasint>(steps), n,
                inputs, 1.0f, a.input + (t0 * a.batch + k.b) * a.inputs, lda, w, ldb, 0.0f, k.currents, n);
    run<kNoise, kPerNeuron>(k, t0, steps, k.currents, k.n);
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void task(const CurrentIafArgs& a, int64_t b, int64_t n0, int64_t n,
                                                                      float* currents) {
  alignas(64) float v[kMaxChunk], c[kMaxChunk], sink[kMaxChunk];
  alignas(64) double bias[kMaxChunk];
  for (int64_t j = 0; j < n; ++j) bias[j] = a.bias != nullptr ? static_cast<double>(a.bias[n0 + j]) : 0.0;
  const int64_t offset = b * a.neurons + n0;
  if (a.v != nullptr) std::memcpy(v, a.v + offset, static_cast<size_t>(n) * sizeof(float));
  else for (int64_t j = 0; j < n; ++j) v[j] = static_cast<float>(iaf::neuron(a, n0 + j).v_rest);
  if (a.refractory != nullptr) std::memcpy(c, a.refractory + offset, static_cast<size_t>(n) * sizeof(float));
  else std::fill(c, c + n, 0.0f);
  const Task k{a, b, n0, n, v, c, bias, sink, currents};
  const bool per_neuron = a.per_neuron != nullptr;
  if (a.noise_scale > 0.0) per_neuron ? run_all<true, true>(k) : run_all<true, false>(k);
  else per_neuron ? run_all<false, true>(k) : run_all<false, false>(k);
  if (a.v != nullptr) std::memcpy(a.v + offset, v, static_cast<size_t>(n) * sizeof(float));
  if (a.refractory != nullptr) std::memcpy(a.refractory + offset, c, static_cast<size_t>(n) * sizeof(float));
}

}  // namespace

void current_iaf(const CurrentIafArgs& a, int threads) {
  // The projection's buffers, one per thread, allocated here: nothing may throw inside the parallel region.
  const size_t per_thread = static_cast<size_t>(kProjectSteps * kMaxChunk);
  std::vector<float> currents(a.weight != nullptr ? per_thread * static_cast<size_t>(std::max(threads, 1)) : 0);
  for_each_neuron_chunk(a.batch, a.neurons, threads, [&](int64_t b, int64_t n0, int64_t n) {
    task(a, b, n0, n, currents.empty() ? nullptr : currents.data() + per_thread * static_cast<size_t>(omp_get_thread_num()));
  });
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::current_iaf_op, snn::cpu::current_iaf);
