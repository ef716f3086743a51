/* snn C ABI: one parametrised family of spiking neuron models run over many time steps.
 *
 * IF, LIF, LI (non-spiking readout), ALIF (adaptive threshold) and CuBaLIF (current-based
 * synapse), each optionally recurrent (RIF, RLIF, RCuBaLIF, ...), with both common conventions
 * (spike from the state before this step's input, or from the updated membrane) and the other
 * differences between libraries (docs/neurons.md) as options of the same kernels. The
 * recurrence is parallel over neurons and sequential over time, and it can record every
 * pre-reset value a surrogate-gradient backward pass needs. Equations: docs/neurons.md. */
#ifndef SNN_NEURON_H
#define SNN_NEURON_H

#include "snn/tensor.h"

typedef enum snn_reset_mode {
  SNN_RESET_SUBTRACT = 0, /* V -= threshold after a spike */
  SNN_RESET_ZERO = 1,     /* V = 0 after a spike */
  SNN_RESET_NONE = 2      /* V is left as it is */
} snn_reset_mode;

typedef enum snn_neuron_model {
  SNN_NEURON_IF = 0,       /* integrate and fire: no leak */
  SNN_NEURON_LIF = 1,      /* leaky integrate and fire: membrane decay beta */
  SNN_NEURON_LI = 2,       /* leaky integrator, never spikes: the output is the membrane */
  SNN_NEURON_ALIF = 3,     /* LIF with an adaptive threshold theta + A, A decaying with gamma */
  SNN_NEURON_CUBA_LIF = 4  /* current-based LIF: synaptic current I (decay alpha) drives V (decay beta) */
} snn_neuron_model;

typedef enum snn_spike_timing {
  SNN_SPIKE_BEFORE_INPUT = 0, /* s = H(V - theta) from the state entering the step, then integrate */
  SNN_SPIKE_AFTER_INPUT = 1   /* integrate, then s = H(V' - theta) */
} snn_spike_timing;

/* Scalars, options and the optional per-neuron decays of one neuron population of N neurons.
 * A zero-filled struct is IF, spike before input, reset by subtraction, strict threshold, no
 * refractory period, binary spikes, decays checked against [0, 1]; only `threshold` must be set. */
typedef struct snn_neuron_params {
  int32_t model;               /* snn_neuron_model */
  int32_t spike_timing;        /* snn_spike_timing */
  int32_t reset_mode;          /* snn_reset_mode: SUBTRACT (the effective threshold), ZERO or NONE */
  int32_t inclusive_threshold; /* 0: spike when V > theta; 1: when V >= theta */
  int32_t refractory_steps;    /* >= 0: steps after a spike during which V is held and nothing fires */
  int32_t max_spikes_per_step; /* 0 or 1: binary spikes; k > 1: n = min(k, floor(V / theta)) */
  int32_t clip_decays;         /* 1: decays are clamped into [0, 1]; 0: values outside are rejected */
  float threshold;             /* theta, finite and > 0 (unused by LI) */
  float alpha;                 /* synaptic current decay (CuBaLIF), when alpha_per_neuron is NULL */
  float beta;                  /* membrane decay (LIF, LI, ALIF, CuBaLIF), when beta_per_neuron is NULL */
  float gamma;                 /* threshold adaptation decay (ALIF), when gamma_per_neuron is NULL */
  const snn_tensor* alpha_per_neuron; /* float32 [N] or NULL; only for CuBaLIF */
  const snn_tensor* beta_per_neuron;  /* float32 [N] or NULL; not for IF */
  const snn_tensor* gamma_per_neuron; /* float32 [N] or NULL; only for ALIF */
  const snn_tensor* input_scale_per_neuron; /* float32 [N] or NULL (1): each input is first scaled,
                                               x = input_scale[n] * input[t, b, n], rounded once (a
                                               per-neuron input gain, e.g. a leaky integrator's) */
} snn_neuron_params;

/* The state carried from one step (and one call) to the next, each float32 [B, N]. A field
 * the configuration uses may be a tensor (its initial value on entry, its final value on
 * return) or NULL (starts at 0, the final value is dropped); fields it does not use are
 * ignored and left untouched. */
typedef struct snn_neuron_state {
  snn_tensor* membrane;   /* V: every model */
  snn_tensor* current;    /* I: CuBaLIF */
  snn_tensor* adaptation; /* A: ALIF (effective threshold theta + A) */
  snn_tensor* refractory; /* steps the neuron stays refractory (> 0: held): when refractory_steps > 0 */
  snn_tensor* spikes;     /* the last step's output: recurrent models with SNN_SPIKE_AFTER_INPUT */
} snn_neuron_state;

/* Optional recordings, each float32 [T, B, N] or NULL. Asking for one the model does not
 * produce is an error. `membrane` may be exactly `input` (same memory): it is then updated
 * in place, each input value being read before its step's membrane overwrites it. */
typedef struct snn_neuron_record {
  snn_tensor* membrane;   /* the V each step's spikes were decided from (before reset); LI: V' */
  snn_tensor* current;    /* I after each step (CuBaLIF) */
  snn_tensor* adaptation; /* the A of each step's effective threshold (ALIF) */
  snn_tensor* refractory; /* the refractory counter at the start of each step (refractory_steps > 0) */
} snn_neuron_record;

/* Runs the population over T >= 1 steps. For every (t, b, n), with x = input[t, b, n] plus,
 * for recurrent models, r = sum over pre of s[b, pre] * recurrent_weight[pre, n] (pre in
 * ascending order, neurons that did not spike skipped: exact and deterministic), where s is
 * this step's spikes under SNN_SPIKE_BEFORE_INPUT and the previous step's otherwise
 * (state->spikes, or 0, at t = 0). With theta_e = threshold (+ A for ALIF) and
 * n = spike count (0/1, or the multi-spike count), SNN_SPIKE_BEFORE_INPUT is
 *   IF:  n = H(V - theta_e); V' = V + x [+ r] - n theta_e
 *   LIF, ALIF: n = H(V - theta_e); V' = beta V + x [+ r] - n theta_e
 *   CuBaLIF: n = H(V - theta); V -= n theta; I' = alpha I + x [+ r]; V' = beta V + I'
 * and SNN_SPIKE_AFTER_INPUT is
 *   IF:  V' = V + x [+ r]; LIF, ALIF: V' = beta V + x [+ r]; CuBaLIF: I' = alpha I + x [+ r], V' = beta V + I'
 *   then n = H(V' - theta_e) and V' -= n theta_e
 * with reset ZERO putting 0 where the subtraction would be (before the input under
 * SNN_SPIKE_BEFORE_INPUT), NONE leaving V. ALIF: A' = gamma A + (1 - gamma) n. LI: V' = beta V + x,
 * output V'. output[t, b, n] = n (LI: V'). While the refractory counter is > 0 the neuron does
 * not spike and V is held (no decay, no input; I and A keep evolving); the counter then counts
 * down by 1, and a spike sets it to refractory_steps. Each float operation is rounded on its own
 * (no FMA), so the CPU and CUDA backends agree bit for bit at any thread count.
 * input: float32 [T, B, N]. recurrent_weight: float32 [N, N] indexed [pre, post], or NULL (not
 * for LI). state, record: optional (NULL). output: float32 [T, B, N]. Outputs must not share
 * memory with each other or with the inputs (except record->membrane == input). */
SNN_API snn_status snn_neuron_forward(const snn_tensor* input, const snn_neuron_params* params,
                                      const snn_tensor* recurrent_weight, const snn_neuron_state* state,
                                      snn_tensor* output, const snn_neuron_record* record);

/* Helpers around the neuron layers (docs/neurons.md). All sums run in a fixed order (given below), so they
 * are deterministic and identical on CPU and CUDA, and exact for spike counts. */

/* Spike counts per neuron (activity regularisation): counts[b, n] += spikes[t, b, n] for
 * t = 0 .. T-1 in order. spikes: float32 [T, B, N]; counts: float32 [B, N], accumulated into. */
SNN_API snn_status snn_spike_count(const snn_tensor* spikes, snn_tensor* counts);

/* Population code: the last axis of `input`, F = num_classes * K features,
 * is cut into num_classes groups of K consecutive neurons and each group summed in order:
 * output[..., c] = sum over k = 0 .. K-1 of input[..., c * K + k]. input: float32 [..., F]
 * (rank >= 1, F a multiple of num_classes >= 1); output: float32 [..., num_classes]. */
SNN_API snn_status snn_population_code(const snn_tensor* input, int32_t num_classes, snn_tensor* output);

typedef enum snn_padding {
  SNN_PADDING_VALID = 0, /* windows lie inside the input: out = floor((in - window) / stride) + 1 */
  SNN_PADDING_SAME = 1   /* out = ceil(in / stride); zeros padded, the lower side getting half (rounded down) */
} snn_padding;

/* Window sums (reduce_window with +): for every axis d of input's rank R,
 * window[d] >= 1 and strides[d] >= 1 (1 and 1 leave an axis alone, e.g. batch and channels);
 * output[o] = sum of input[o * strides + w - pad_low] over window offsets w in row-major order,
 * positions in the padding skipped. SAME pads each axis by max((out - 1) * stride + window - in, 0)
 * in total, pad_low = total / 2. input: float32, rank 1..8; output: float32 of the resulting shape. */
SNN_API snn_status snn_sum_pool(const snn_tensor* input, const int64_t* window, const int64_t* strides,
                                int32_t padding, snn_tensor* output);

#endif /* SNN_NEURON_H */
