// Straightforward reference implementations the kernels are checked against. They follow
// the header comments literally, element by element, with no cleverness.
#pragma once

#include <cstdint>
#include <vector>

#include "snn/snn.h"

namespace snn_test {

// Stream word i of (seed, offset), via the single-block snn_philox4x32_10 (itself checked
// against Random123's known-answer vectors).
inline uint32_t stream_word(uint64_t i, uint64_t seed, uint64_t offset) {
  const uint64_t g = i / 4;
  const uint32_t counter[4] = {static_cast<uint32_t>(g), static_cast<uint32_t>(g >> 32),
                               static_cast<uint32_t>(offset), static_cast<uint32_t>(offset >> 32)};
  const uint32_t key[2] = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  uint32_t out[4];
  snn_philox4x32_10(counter, key, out);
  return out[i % 4];
}

inline float reference_uniform(uint64_t i, uint64_t seed, uint64_t offset) {
  return static_cast<float>(stream_word(i, seed, offset) >> 8) / 16777216.0f;
}

inline std::vector<float> reference_poisson(const std::vector<float>& intensities, int64_t T, int64_t B, int64_t N,
                                            uint64_t seed, uint64_t offset) {
  std::vector<float> spikes(static_cast<size_t>(T * B * N));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t n = 0; n < N; ++n) {
        const int64_t i = (t * B + b) * N + n;
        spikes[i] = reference_uniform(static_cast<uint64_t>(i), seed, offset) < intensities[b * N + n] ? 1.0f : 0.0f;
      }
  return spikes;
}

struct LifResult {
  std::vector<float> spikes, membrane, state;
};

inline LifResult reference_lif(const std::vector<float>& current, int64_t T, int64_t B, int64_t N, float beta,
                               float threshold, snn_reset_mode reset, const std::vector<float>* initial_state) {
  LifResult r;
  r.spikes.resize(current.size());
  r.membrane.resize(current.size());
  r.state = initial_state ? *initial_state : std::vector<float>(static_cast<size_t>(B * N), 0.0f);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t b = 0; b < B; ++b)
      for (int64_t n = 0; n < N; ++n) {
        float& V = r.state[b * N + n];
        const int64_t i = (t * B + b) * N + n;
        V = beta * V + current[i];
        r.membrane[i] = V;
        const bool spike = V > threshold;
        r.spikes[i] = spike ? 1.0f : 0.0f;
        if (spike && reset == SNN_RESET_SUBTRACT) V -= threshold;
        if (spike && reset == SNN_RESET_ZERO) V = 0.0f;
      }
  return r;
}

// Triple loop in double precision.
inline std::vector<float> reference_linear(const std::vector<float>& x, const std::vector<float>& w,
                                           const std::vector<float>* bias, int64_t M, int64_t N, int64_t K) {
  std::vector<float> y(static_cast<size_t>(M * N));
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      double acc = bias ? (*bias)[n] : 0.0;
      for (int64_t k = 0; k < K; ++k) acc += static_cast<double>(x[m * K + k]) * w[n * K + k];
      y[m * N + n] = static_cast<float>(acc);
    }
  return y;
}

}  // namespace snn_test
