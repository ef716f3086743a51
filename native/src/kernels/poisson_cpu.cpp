// Poisson encoding on the CPU (its intensities are checked first by range_check_cpu.cpp).
#include <algorithm>

#include "kernels/cpu_kernels.h"
#include "kernels/philox_stream_cpu.h"

namespace snn::cpu {

void poisson(const PoissonArgs& a, int threads) {
  const int64_t bn = a.neurons;
  const int64_t per_row = (bn + kStreamChunk - 1) / kStreamChunk;
  const int64_t chunks = a.steps * per_row;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
  for (int64_t c = 0; c < chunks; ++c) {
    alignas(64) uint32_t buf[kStreamChunk + 8];
    const int64_t t = c / per_row;
    const int64_t j0 = (c % per_row) * kStreamChunk;
    const int64_t len = std::min(kStreamChunk, bn - j0);
    const int64_t i0 = t * bn + j0;
    const uint32_t* w = stream_words(buf, static_cast<uint64_t>(i0), len, a.seed, a.offset);
    const float* p = a.intensities + j0;
    float* s = a.spikes + i0;
    for (int64_t k = 0; k < len; ++k) s[k] = philox::word_to_uniform(w[k]) < p[k] ? 1.0f : 0.0f;
  }
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::poisson_op, snn::cpu::poisson);
