/* snn C ABI: leaky integrate-and-fire neurons run over many time steps in one call.
 *
 * The recurrence is parallel over neurons and sequential over time; it keeps the
 * pre-reset membrane of every step, which is what a surrogate-gradient backward pass needs. */
#ifndef SNN_LIF_H
#define SNN_LIF_H

#include "snn/tensor.h"

typedef enum snn_reset_mode {
  SNN_RESET_SUBTRACT = 0, /* V -= threshold after a spike */
  SNN_RESET_ZERO = 1,     /* V = 0 after a spike */
  SNN_RESET_NONE = 2      /* V is left as it is */
} snn_reset_mode;

typedef struct snn_lif_params {
  float beta;         /* membrane decay per step, in [0, 1] */
  float threshold;    /* firing threshold, finite and > 0 */
  int32_t reset_mode; /* snn_reset_mode */
} snn_lif_params;

/* For t = 0 .. T-1, for every (b, n):
 *   V = beta * V + current[t, b, n]
 *   membrane[t, b, n] = V                     (before reset)
 *   spikes[t, b, n] = V > threshold ? 1 : 0
 *   reset V according to reset_mode when it spiked
 * current: float32 [T, B, N], T >= 1. spikes: float32 [T, B, N]. membrane: float32 [T, B, N]
 * or NULL; it may be the same tensor as `current` (updated in place). state: float32 [B, N]
 * or NULL: the initial V on entry, the final V (after reset) on return; NULL starts at 0. */
SNN_API snn_status snn_lif_forward(const snn_tensor* current, const snn_lif_params* params,
                                   snn_tensor* state, snn_tensor* spikes, snn_tensor* membrane);

#endif /* SNN_LIF_H */
