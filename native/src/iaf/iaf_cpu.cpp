// The integrate-and-fire population (snn/iaf.h) on the CPU. Each task owns one batch row and a
// run of neurons, keeps their state in small local arrays and walks time inside, so a step reads
// and writes contiguous memory; the noise-free loop over neurons is branch-free enough for gcc
// to vectorise it (compiled for AVX2 and baseline x86-64, the best clone picked at load time).
#include <algorithm>
#include <cstring>

#include "kernels/neuron_tasks.h"
#include "iaf/iaf_cpu.h"

namespace snn::cpu {
namespace {

constexpr int64_t kMaxChunk = kMaxNeuronChunk;

template <bool kNoise>
__attribute__((always_inline)) inline void run(const IafArgs& a, int64_t b, int64_t n0, int64_t n, float* __restrict__ v,
                                               float* __restrict__ c, const double* __restrict__ bias,
                                               float* __restrict__ sink) {
  const IafArgs cfg = a;  // a local copy: stores to the outputs cannot alias it
  const int64_t stride = a.batch * a.neurons;
  const int64_t base = b * a.neurons + n0;
  for (int64_t t = 0; t < a.steps; ++t) {
    const int64_t row = t * stride + base;
    const float* __restrict__ x = a.current + row;
    float* __restrict__ out = a.spikes + row;
    float* __restrict__ m = a.record_v != nullptr ? a.record_v + row : sink;
    for (int64_t j = 0; j < n; ++j) {
      double current = static_cast<double>(x[j]) + bias[j];
      if constexpr (kNoise) {
        current += cfg.noise_scale *
                   iaf::normal(cfg.seed, cfg.step0 + static_cast<uint64_t>(t), static_cast<uint64_t>(base + j));
      }
      float vj = v[j], cj = c[j];
      out[j] = iaf::step(cfg, current, vj, cj);
      v[j] = vj;
      c[j] = cj;
      m[j] = vj;
    }
  }
}

__attribute__((target_clones("avx2", "default"))) void task(const IafArgs& a, int64_t b, int64_t n0, int64_t n) {
  alignas(64) float v[kMaxChunk], c[kMaxChunk], sink[kMaxChunk];
  alignas(64) double bias[kMaxChunk];
  for (int64_t j = 0; j < n; ++j) bias[j] = a.bias != nullptr ? static_cast<double>(a.bias[n0 + j]) : 0.0;
  const int64_t offset = b * a.neurons + n0;
  if (a.v != nullptr) std::memcpy(v, a.v + offset, static_cast<size_t>(n) * sizeof(float));
  else std::fill(v, v + n, static_cast<float>(a.v_rest));
  if (a.refractory != nullptr) std::memcpy(c, a.refractory + offset, static_cast<size_t>(n) * sizeof(float));
  else std::fill(c, c + n, 0.0f);
  if (a.noise_scale > 0.0) run<true>(a, b, n0, n, v, c, bias, sink);
  else run<false>(a, b, n0, n, v, c, bias, sink);
  if (a.v != nullptr) std::memcpy(a.v + offset, v, static_cast<size_t>(n) * sizeof(float));
  if (a.refractory != nullptr) std::memcpy(a.refractory + offset, c, static_cast<size_t>(n) * sizeof(float));
}

}  // namespace

void iaf(const IafArgs& a, int threads) {
  for_each_neuron_chunk(a.batch, a.neurons, threads, [&](int64_t b, int64_t n0, int64_t n) { task(a, b, n0, n); });
}

}  // namespace snn::cpu
