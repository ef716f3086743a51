// snn_random_fill on the CPU (snn/random.h): every distribution from the one uniform stream and the
// one Box-Muller of random/philox.h. Constant, uniform and normal elements are pure functions of
// their index (parallel over chunks of the stream); the truncated normal keeps the i-th accepted
// draw, so it walks the stream in order.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/philox_stream_cpu.h"

namespace snn::cpu {
namespace {

// Elements [i0, i0 + len) (i0 even) of the normal stream z into z[0, len).
void normals(double* z, uint64_t i0, int64_t len, uint64_t seed, uint64_t offset) {
  alignas(64) uint32_t buf[kStreamChunk + 8];
  const int64_t words = (len + 1) / 2 * 2;  // an odd tail still draws its pair
  const uint32_t* w = stream_words(buf, i0, words, seed, offset);
  for (int64_t k = 0; k < len; k += 2) {
    const double r = philox::normal_radius(philox::word_to_uniform(w[k]));
    const double angle = philox::normal_angle(philox::word_to_uniform(w[k + 1]));
    z[k] = r * std::cos(angle);
    if (k + 1 < len) z[k + 1] = r * std::sin(angle);
  }
}

void truncated_normal(const RandomFillArgs& a) {
  alignas(64) double z[kStreamChunk];
  int64_t filled = 0;
  for (uint64_t i0 = 0; filled < a.n; i0 += kStreamChunk) {
    normals(z, i0, kStreamChunk, a.seed, a.offset);
    for (int64_t k = 0; k < kStreamChunk && filled < a.n; ++k) {
      if (std::fabs(z[k]) <= a.bound) a.out[filled++] = static_cast<float>(a.a + a.b * z[k]);
    }
  }
}

}  // namespace

void random_fill(const RandomFillArgs& a, int threads) {
  if (a.kind == Distribution::kConstant) {
    const float value = static_cast<float>(a.a);
    fill(a.out, static_cast<size_t>(a.n), sizeof(float), &value, threads);
    return;
  }
  if (a.kind == Distribution::kTruncatedNormal) {
    truncated_normal(a);
    return;
  }
  const int64_t chunks = (a.n + kStreamChunk - 1) / kStreamChunk;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && chunks > 1)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t i0 = c * kStreamChunk;  // even, so a normal pair never straddles two chunks
    const int64_t len = a.n - i0 < kStreamChunk ? a.n - i0 : kStreamChunk;
    float* o = a.out + i0;
    if (a.kind == Distribution::kUniform) {
      alignas(64) uint32_t buf[kStreamChunk + 8];
      const uint32_t* w = stream_words(buf, static_cast<uint64_t>(i0), len, a.seed, a.offset);
      const double width = a.b - a.a;
      for (int64_t k = 0; k < len; ++k) {
        o[k] = static_cast<float>(a.a + width * static_cast<double>(philox::word_to_uniform(w[k])));
      }
    } else {
      alignas(64) double z[kStreamChunk];
      normals(z, static_cast<uint64_t>(i0), len, a.seed, a.offset);
      for (int64_t k = 0; k < len; ++k) o[k] = static_cast<float>(a.a + a.b * z[k]);
    }
  }
}

bool rescale_draws(float* values, int64_t n, bool normalize, double normalize_to, double shift_by_max) {
  // In double from the float32 draws, in element order, rounded once at the end (snn/random.h).
  std::vector<double> v(values, values + n);
  if (normalize) {
    double sum = 0.0;
    for (const double x : v) sum += x;
    if (sum == 0.0) return false;
    for (double& x : v) x = x / sum * normalize_to;
  }
  if (shift_by_max != 0.0 && n > 0) {
    const double shift = *std::max_element(v.begin(), v.end()) * shift_by_max;
    for (double& x : v) x += shift;
  }
  for (int64_t i = 0; i < n; ++i) values[i] = static_cast<float>(v[static_cast<size_t>(i)]);
  return true;
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::random_fill_op, snn::cpu::random_fill);
