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

typedef enum snn_distribution_kind {
  SNN_DISTRIBUTION_CONSTANT = 0,        /* a */
  SNN_DISTRIBUTION_UNIFORM = 1,         /* a + (b - a) u(i): uniform in [a, b) */
  SNN_DISTRIBUTION_NORMAL = 2,          /* a + b z(i): mean a, standard deviation b */
  SNN_DISTRIBUTION_TRUNCATED_NORMAL = 3 /* a + b z(j_i), j_i the i-th j with |z(j)| <= bound */
} snn_distribution_kind;

/* A distribution and its parameters (unused ones are ignored). */
typedef struct snn_distribution {
  int32_t kind;  /* snn_distribution_kind */
  double a;      /* constant: the value; uniform: lower bound; normal, truncated normal: mean. Finite */
  double b;      /* uniform: upper bound (>= a); normal, truncated normal: standard deviation (>= 0). Finite */
  double bound;  /* truncated normal: kept draws satisfy |z| <= bound, in standard deviations (> 0, finite) */
  /* Rescaling after the draw (appended in version 2; zeros leave the draws as they are). With v_i the
   * float32 draws and every step in double, rounded once to float32 at the end:
   *   normalize = 1: v_i / S * normalize_to, S = v_0 + v_1 + ... summed in order (S = 0 is an error);
   *   shift_by_max != 0: v_i + shift_by_max * max_j v_j (after the normalisation, if any). */
  int32_t normalize;    /* 0 or 1 */
  double normalize_to;  /* the sum the values have after normalising, finite */
  double shift_by_max;  /* finite */
} snn_distribution;

/* Fills a float32 tensor (row-major element i) from the stream (seed, offset), every value evaluated
 * in double and rounded once to float32. The standard normals z(j) pair up the uniforms by Box-Muller:
 *   z(2k) = r cos(2 pi u(2k + 1)), z(2k + 1) = r sin(2 pi u(2k + 1)), r = sqrt(-2 ln(1 - u(2k))).
 * The values are a function of (distribution, seed, offset, i) alone: any device (they are drawn on
 * the host and copied to a GPU), any thread count. The one initialiser of every layer type. */
SNN_API snn_status snn_random_fill(snn_tensor* output, const snn_distribution* distribution, uint64_t seed,
                                   uint64_t offset);

#endif /* SNN_RANDOM_H */
