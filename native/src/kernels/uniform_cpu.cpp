// snn_random_uniform on the CPU: element i = word_to_uniform(stream word i).
#include "kernels/cpu_kernels.h"
#include "kernels/philox_stream_cpu.h"

namespace snn::cpu {

void uniform(const UniformArgs& a, int threads) {
  float* const out = a.out;
  const int64_t n = a.n;
  const uint64_t seed = a.seed, offset = a.offset;
  const int64_t chunks = (n + kStreamChunk - 1) / kStreamChunk;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
  for (int64_t c = 0; c < chunks; ++c) {
    alignas(64) uint32_t buf[kStreamChunk + 8];
    const int64_t i0 = c * kStreamChunk;
    const int64_t len = n - i0 < kStreamChunk ? n - i0 : kStreamChunk;
    const uint32_t* w = stream_words(buf, static_cast<uint64_t>(i0), len, seed, offset);
    float* o = out + i0;
    for (int64_t k = 0; k < len; ++k) o[k] = philox::word_to_uniform(w[k]);
  }
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::uniform_op, snn::cpu::uniform);
