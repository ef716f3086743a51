/* snn C ABI: neurons with presynaptic-style spike traces (input, IF, LIF and adaptive LIF
 * neurons), run over many time steps in one call.
 *
 * A separate entry point from snn_neuron_forward (snn/neuron.h) because the model differs in
 * kind, not in an option: these neurons rest at v_rest and reset to it, leak towards it either
 * by a decay factor or by an Euler step dt / tau, count the refractory period down in time units,
 * carry a spike trace and, for the adaptive LIF, a threshold that relaxes to its resting value.
 * Equations, and which library's conventions they follow: docs/neurons.md. */
#ifndef SNN_TRACE_NEURON_H
#define SNN_TRACE_NEURON_H

#include "snn/tensor.h"

typedef enum snn_trace_neuron_model {
  SNN_TRACE_NEURON_INPUT = 0,       /* input layer: the input passes through as spikes, only a trace is kept */
  SNN_TRACE_NEURON_IF = 1,          /* IFNeuron: v += alpha_v * x */
  SNN_TRACE_NEURON_LIF = 2,         /* LIFNeuron: leak towards v_rest */
  SNN_TRACE_NEURON_ADAPTIVE_LIF = 3 /* AdaptiveLIFNeuron: LIF whose threshold rises with each spike and relaxes back */
} snn_trace_neuron_model;

typedef enum snn_trace_update {
  SNN_TRACE_UPDATE_LINEAR = 0,     /* tau_* are decay factors per step, in [0, 1] */
  SNN_TRACE_UPDATE_EXPONENTIAL = 1 /* update_type="exponential": tau_* are time constants (> 0), Euler steps of dt / tau */
} snn_trace_update;

/* The constants of one population. Fields a model does not use are ignored (not checked). */
typedef struct snn_trace_neuron_params {
  int32_t model;         /* snn_trace_neuron_model */
  int32_t update_type;   /* snn_trace_update: the trace's update (every model), the leak (LIF, adaptive), the threshold's (adaptive) */
  float thresh;          /* firing threshold (resting threshold of the adaptive LIF), finite */
  float v_rest;          /* resting and reset voltage, finite */
  float alpha_v;         /* input scale: v gains alpha_v * x, finite */
  float alpha_t;         /* trace increment scale per spike, finite */
  float dt;              /* time step, finite and > 0 */
  float duration_refrac; /* refractory period in time units: finite, >= 0, an integer multiple of dt */
  float tau_v;           /* LIF, adaptive: voltage decay per step in [0, 1] (linear) or time constant > 0 (exponential) */
  float tau_t;           /* trace decay per step in [0, 1] (linear) or time constant > 0 (exponential) */
  float alpha_thresh;    /* adaptive: threshold increment scale per spike, finite */
  float tau_thresh;      /* adaptive: threshold decay per step in [0, 1] (linear) or time constant > 0 (exponential) */
} snn_trace_neuron_params;

/* The state carried from one step (and one call) to the next, each float32 [B, ...cells]. A field
 * the model uses may be a tensor (its initial value on entry, its final value on return) or NULL
 * (starts at rest: v = v_rest, trace = 0, refractory = 0, threshold = thresh; the final value is
 * dropped); fields the model does not use (Input: all but trace; threshold: only the adaptive
 * LIF) are ignored and left untouched. */
typedef struct snn_trace_neuron_state {
  snn_tensor* v;          /* membrane voltage after the last step (after reset) */
  snn_tensor* trace;      /* postsynaptic trace */
  snn_tensor* refractory; /* refractory time left (> 0: the voltage is held), in the units of dt */
  snn_tensor* threshold;  /* adaptive LIF: the current threshold */
} snn_trace_neuron_state;

/* Runs the population over T >= 1 steps. For every (t, b, n), in float32 with each operation
 * rounded on its own (no FMA), x = input[t, b, n], kv = dt / tau_v, kt = dt / tau_t,
 * kth = dt / tau_thresh:
 *   Input: s = x (passed through unchanged)
 *   otherwise, with held = refractory > 0:
 *     v' = held ? v : IF:            v + alpha_v * x
 *                     LIF linear:    v_rest + ((v - v_rest) * tau_v + alpha_v * x)
 *                     LIF exponential: v + kv * (-(v - v_rest) + alpha_v * x)
 *     s = v' >= th ? 1 : 0          (th = thresh, or the adaptive state threshold)
 *     adaptive: th' = linear:      thresh + ((th - thresh) * tau_thresh + alpha_thresh * s)
 *                     exponential: th + kth * (-(th - thresh) + alpha_thresh * s)
 *     r = refractory - dt, and 0 when r < dt / 2 (the count never drifts below 0 by rounding);
 *     refractory' = r + duration_refrac * s
 *     v' = s ? v_rest : v'
 *   trace' = linear: trace * tau_t + alpha_t * s;  exponential: trace + kt * (-trace + alpha_t * s)
 *   spikes[t, b, n] = s; trace_out[t, b, n] = trace'; record_v[t, b, n] = v' (after reset)
 * input: float32 [T, B, ...cells] (rank >= 3). spikes, trace_out: float32, input's shape.
 * state: optional (NULL: everything starts at rest). record_v: float32, input's shape, or NULL
 * (not for Input). Outputs and state must not share memory with each other or with the input. */
SNN_API snn_status snn_trace_neuron_forward(const snn_tensor* input, const snn_trace_neuron_params* params,
                                            const snn_trace_neuron_state* state, snn_tensor* spikes,
                                            snn_tensor* trace_out, snn_tensor* record_v);

#endif /* SNN_TRACE_NEURON_H */
