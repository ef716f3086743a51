// snn_event_init_weights on the CPU. Element i uses word i of the uniform stream (seed, offset)
// of snn_random_uniform, so the values do not depend on how the work is split.
#include <cmath>

#include "event/init.h"
#include "kernels/philox_stream_cpu.h"

namespace snn::event {

namespace {
constexpr double kTwoPi = 6.283185307179586476925286766559;
}  // namespace

void init_weights_cpu(float* out, int64_t n, InitKind kind, float a, float b, uint64_t seed, uint64_t offset,
                      int threads) {
  if (kind == InitKind::kConstant) {
    for (int64_t i = 0; i < n; ++i) out[i] = a;
    return;
  }
  const int64_t chunks = (n + cpu::kStreamChunk - 1) / cpu::kStreamChunk;
  const float width = b - a;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
  for (int64_t c = 0; c < chunks; ++c) {
    alignas(64) uint32_t buf[cpu::kStreamChunk + 8];
    const int64_t i0 = c * cpu::kStreamChunk;  // a multiple of 4, so pairs (2k, 2k + 1) stay in one chunk
    const int64_t len = n - i0 < cpu::kStreamChunk ? n - i0 : cpu::kStreamChunk;
    const int64_t words = (len + 1) / 2 * 2;   // an odd tail still draws its pair
    const uint32_t* w = cpu::stream_words(buf, static_cast<uint64_t>(i0), words, seed, offset);
    float* o = out + i0;
    if (kind == InitKind::kUniform) {
      for (int64_t k = 0; k < len; ++k) o[k] = a + width * philox::word_to_uniform(w[k]);
    } else {
      for (int64_t k = 0; k < len; k += 2) {
        const double u0 = philox::word_to_uniform(w[k]), u1 = philox::word_to_uniform(w[k + 1]);
        const double r = std::sqrt(-2.0 * std::log(1.0 - u0));  // 1 - u0 is in (0, 1]
        const double angle = kTwoPi * u1;
        o[k] = static_cast<float>(static_cast<double>(a) + static_cast<double>(b) * (r * std::cos(angle)));
        if (k + 1 < len) o[k + 1] = static_cast<float>(static_cast<double>(a) + static_cast<double>(b) * (r * std::sin(angle)));
      }
    }
  }
}

}  // namespace snn::event
