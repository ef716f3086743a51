// Host-side bulk generation of the snn Philox stream (snn/random.h) for the CPU kernels.
#pragma once

#include <cstdint>

#include "random/philox.h"

namespace snn::cpu {

// Words per chunk the CPU kernels process at once; a multiple of 4 (one Philox block).
constexpr int64_t kStreamChunk = 2048;

// Writes stream words i0 .. i0 + n - 1 (n <= kStreamChunk) into `buf` (kStreamChunk + 8
// words) and returns the address of word i0 inside it. Whole blocks are generated, starting
// at block i0 / 4, so the result does not depend on how the caller splits the stream.
inline const uint32_t* stream_words(uint32_t* buf, uint64_t i0, int64_t n, uint64_t seed, uint64_t offset) {
  const uint64_t g0 = i0 / 4;
  const int64_t skip = static_cast<int64_t>(i0 % 4);
  const int64_t blocks = (skip + n + 3) / 4;
  for (int64_t b = 0; b < blocks; ++b) {
    const philox::Block r = philox::stream_block(g0 + static_cast<uint64_t>(b), seed, offset);
    buf[4 * b + 0] = r.v[0];
    buf[4 * b + 1] = r.v[1];
    buf[4 * b + 2] = r.v[2];
    buf[4 * b + 3] = r.v[3];
  }
  return buf + skip;
}

}  // namespace snn::cpu
