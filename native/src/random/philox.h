// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11),
// exactly as Random123 defines it, and the snn uniform stream built on it (snn/random.h).
// Header-only and usable from host C++ and from CUDA device code.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/inline.h"

namespace snn::philox {

constexpr uint32_t kM0 = 0xD2511F53u;  // round multipliers
constexpr uint32_t kM1 = 0xCD9E8D57u;
constexpr uint32_t kW0 = 0x9E3779B9u;  // Weyl key increments (golden ratio, sqrt(3) - 1)
constexpr uint32_t kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;

struct Block {
  uint32_t v[4];
};

SNN_INLINE uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
#if defined(__CUDA_ARCH__)
  *hi = __umulhi(a, b);
  return a * b;
#else
  const uint64_t product = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  *hi = static_cast<uint32_t>(product >> 32);
  return static_cast<uint32_t>(product);
#endif
}

// counter {c0, c1, c2, c3}, key {k0, k1} -> 4 words. Random123's key schedule: the key is
// bumped by the Weyl constants between rounds (before rounds 2..10).
SNN_INLINE Block philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0,
                                    uint32_t k1) {
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {
      k0 += kW0;
      k1 += kW1;
    }
    uint32_t hi0, hi1;
    const uint32_t lo0 = mulhilo(kM0, c0, &hi0);
    const uint32_t lo1 = mulhilo(kM1, c2, &hi1);
    const uint32_t n0 = hi1 ^ c1 ^ k0;
    const uint32_t n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return Block{{c0, c1, c2, c3}};
}

// The snn stream: element i takes word i % 4 of the block with counter
// {lo32(g), hi32(g), lo32(offset), hi32(offset)}, g = i / 4, key {lo32(seed), hi32(seed)}.
SNN_INLINE Block stream_block(uint64_t g, uint64_t seed, uint64_t offset) {
  return philox4x32_10(static_cast<uint32_t>(g), static_cast<uint32_t>(g >> 32),
                       static_cast<uint32_t>(offset), static_cast<uint32_t>(offset >> 32),
                       static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// u = (w >> 8) * 2^-24: the top 24 bits, exactly representable, so 0 <= u < 1.
SNN_INLINE float word_to_uniform(uint32_t w) {
  return static_cast<float>(w >> 8) * 5.9604644775390625e-08f;  // 2^-24
}

// Box-Muller in double over a pair of stream uniforms (u0, u1): the pair's two standard normals
// are r cos(a) and r sin(a) with r = normal_radius(u0) = sqrt(-2 ln(1 - u0)) (1 - u0 is in (0, 1],
// so |r| < 5.8) and a = normal_angle(u1) = 2 pi u1. The one definition every normal draw uses.
SNN_INLINE double normal_radius(float u0) { return sqrt(-2.0 * log(1.0 - static_cast<double>(u0))); }
SNN_INLINE double normal_angle(float u1) { return 6.283185307179586 * static_cast<double>(u1); }

}  // namespace snn::philox
