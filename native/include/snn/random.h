/* snn C ABI: counter-based random numbers (Philox4x32-10).
 *
 * Every random number in snn is a pure function of (seed, offset, element index), so the
 * CPU and CUDA backends, any thread count and any batch split give identical streams.
 * Element i of a stream draws from block g = i / 4 and takes 32-bit word i % 4 of
 *   philox4x32_10(counter = {lo32(g), hi32(g), lo32(offset), hi32(offset)},
 *                 key     = {lo32(seed), hi32(seed)}).
 * A word w becomes the float32 uniform u = (w >> 8) * 2^-24, so 0 <= u < 1. */
#ifndef SNN_RANDOM_H
#define SNN_RANDOM_H

#include "snn/tensor.h"

/* One Philox4x32 block with 10 rounds: counter[4], key[2] -> out[4]. Host only; exposed
 * so that callers can check the generator against published known-answer vectors. */
SNN_API snn_status snn_philox4x32_10(const uint32_t* counter, const uint32_t* key, uint32_t* out);

/* Fills a float32 tensor with the stream's uniforms: element i (row-major) gets u(i). */
SNN_API snn_status snn_random_uniform(snn_tensor* output, uint64_t seed, uint64_t offset);

#endif /* SNN_RANDOM_H */
