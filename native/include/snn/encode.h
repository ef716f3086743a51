/* snn C ABI: spike encoders that turn analog inputs into spike trains. */
#ifndef SNN_ENCODE_H
#define SNN_ENCODE_H

#include "snn/tensor.h"

/* Poisson (rate) encoding. `intensities` is float32 [B, N] with values in [0, 1] (the spike
 * probability per step); `spikes` is float32 [T, B, N] with T >= 1 on the same device.
 *   spikes[t, b, n] = 1 if u(i) < intensities[b, n] else 0,  i = (t * B + b) * N + n,
 * where u is the uniform stream of snn_random_uniform(seed, offset). NaN or values outside
 * [0, 1] are rejected with SNN_ERROR_INVALID_ARGUMENT and `spikes` is left untouched. */
SNN_API snn_status snn_poisson_encode(const snn_tensor* intensities, uint64_t seed, uint64_t offset,
                                      snn_tensor* spikes);

#endif /* SNN_ENCODE_H */
