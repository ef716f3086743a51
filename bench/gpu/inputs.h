// The inputs of the GPU dense-LIF benchmark, from a counter hash that dense_lif_torch.py computes the
// same way in numpy (uint64 arithmetic wraps in both), so snn and PyTorch see the same spikes and
// weights without files of several GB travelling between them.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace bench_inputs {

constexpr float kBeta = 0.95f;
constexpr float kThreshold = 1.0f;

// Uniform in [0, 1) with 24 bits: element i of stream `seed`.
inline float uniform(uint64_t i, uint64_t seed) {
  uint64_t h = i * 0x9E3779B97F4A7C15ull + seed * 0xD1B54A32D192ED03ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
}

// Spikes (0 or 1) with probability `density`.
inline std::vector<float> spikes(int64_t count, double density, uint64_t seed) {
  std::vector<float> x(static_cast<size_t>(count));
  const float p = static_cast<float>(density);
  for (int64_t i = 0; i < count; ++i) x[static_cast<size_t>(i)] = uniform(static_cast<uint64_t>(i), seed) < p ? 1.0f : 0.0f;
  return x;
}

// Weights uniform in [-1, 1) * 4 / sqrt(fan_in): with density 0.2 the neurons fire at a few percent.
inline std::vector<float> weights(int64_t count, int64_t fan_in, uint64_t seed) {
  std::vector<float> w(static_cast<size_t>(count));
  const float scale = 4.0f / std::sqrt(static_cast<float>(fan_in));
  for (int64_t i = 0; i < count; ++i) {
    w[static_cast<size_t>(i)] = (2.0f * uniform(static_cast<uint64_t>(i), seed) - 1.0f) * scale;
  }
  return w;
}

}  // namespace bench_inputs
