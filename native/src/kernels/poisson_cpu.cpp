// Poisson encoding on the CPU, plus the intensity check that runs before any spike is written.
#include <algorithm>

#include "kernels/cpu_kernels.h"
#include "kernels/philox_stream_cpu.h"

namespace snn::cpu {

int64_t find_outside_unit_interval(const float* x, int64_t n, int threads) {
  constexpr int64_t kBlock = 4096;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  int64_t first = n;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && blocks > 1) reduction(min : first)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
    int bad = 0;  // vectorised scan; `!(v >= 0 && v <= 1)` is also true for NaN
    for (int64_t i = lo; i < hi; ++i) bad |= !(x[i] >= 0.0f && x[i] <= 1.0f);
    if (bad) {
      for (int64_t i = lo; i < hi; ++i) {
        if (!(x[i] >= 0.0f && x[i] <= 1.0f)) {
          first = std::min(first, i);
          break;
        }
      }
    }
  }
  return first == n ? -1 : first;
}

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
