// How the CPU's sparse paths (linear_sparse_cpu.cpp, conv2d_events_cpu.cpp) decide that an input is
// spike-like: the share of non-zero elements in up to `max_samples` evenly spaced rows. Always the same
// rows for a shape, so the choice (and so the result's bits) is a function of the input alone.
#pragma once

#include <algorithm>
#include <cstdint>

namespace snn::cpu {

// rows >= 1 rows of `length` >= 1 floats, contiguous.
inline double sampled_density(const float* data, int64_t rows, int64_t length, int64_t max_samples) {
  const int64_t samples = std::min(rows, max_samples);
  int64_t nonzero = 0;
  for (int64_t s = 0; s < samples; ++s) {
    const float* row = data + (s * rows / samples) * length;
    int64_t c = 0;
    for (int64_t k = 0; k < length; ++k) c += row[k] != 0.0f;
    nonzero += c;
  }
  return static_cast<double>(nonzero) / (static_cast<double>(samples) * static_cast<double>(length));
}

}  // namespace snn::cpu
