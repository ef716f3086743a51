// Initial weights of event-driven layers (snn_event_init_weights), drawn from the snn Philox
// stream so that every language and thread count gets the same values.
#pragma once

#include <cstdint>

namespace snn::event {

enum class InitKind : int32_t { kConstant = 0, kUniform = 1, kNormal = 2 };  // = snn_event_init_kind

// Writes n weights: constant a; uniform a + (b - a) * u(i); normal a + b * z(i) (Box-Muller
// over the pairs u(2k), u(2k + 1)). Parallel over blocks of the stream on `threads` workers.
void init_weights_cpu(float* out, int64_t n, InitKind kind, float a, float b, uint64_t seed, uint64_t offset,
                      int threads);

}  // namespace snn::event
