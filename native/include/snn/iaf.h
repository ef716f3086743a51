/* snn C ABI: a population of integrate-and-fire neurons driven by input currents, in SI units
 * (Rockpool's FFIAF, which Rockpool simulates with Brian2). Equations and the differences from
 * Brian2: docs/ffiaf.md.
 *
 * Every neuron obeys  tau_mem dv/dt = v_rest - v + R I  with I constant over each time step of
 * length dt, so one step closes the fraction g of the gap to v_inf = v_rest + R I:
 *   v' = v + (v_inf - v) g,   SNN_IAF_EXACT: g = 1 - exp(-h)  (the exact solution),
 *                             SNN_IAF_RK4:   g = h - h^2/2 + h^3/6 - h^4/24  (classic Runge-Kutta 4,
 *                             what Brian2's 'rk4' computes for this equation), h = dt / tau_mem. */
#ifndef SNN_IAF_H
#define SNN_IAF_H

#include "snn/tensor.h"

typedef enum snn_iaf_integrator {
  SNN_IAF_EXACT = 0, /* exact for a current constant over the step: no integration error */
  SNN_IAF_RK4 = 1    /* one classic fourth-order Runge-Kutta step (Brian2 and Rockpool's default) */
} snn_iaf_integrator;

typedef enum snn_weight_layout {
  SNN_WEIGHT_NEURON_MAJOR = 0, /* weight [N, N_in]: row n holds the weights into neuron n (snn_linear_forward's) */
  SNN_WEIGHT_INPUT_MAJOR = 1   /* weight [N_in, N]: row i holds input i's weights into every neuron */
} snn_weight_layout;

/* The constants of one population, in SI units: the same for every neuron, or per neuron for the
 * time constant and the potentials when the *_per_neuron tensors (appended in version 2) are set. */
typedef struct snn_iaf_params {
  int32_t integrator;       /* snn_iaf_integrator */
  int32_t refractory_steps; /* >= 0: steps after a spike's step during which v stays at v_reset and
                               nothing fires (Brian2: round(refractory / dt) - 1, at least 0) */
  uint64_t seed;            /* key of the noise stream */
  uint64_t step;            /* global index of input step 0: the noise of step t is drawn from
                               Philox stream (seed, offset = step + t), so a run split into calls
                               gets the noise of one long call when each call passes its first step */
  double dt;                /* step length in seconds, finite and > 0 */
  double tau_mem;           /* membrane time constant in seconds, finite and > 0 */
  double v_thresh;          /* a spike when v > v_thresh (volts, finite) */
  double v_reset;           /* v after a spike (volts, finite, < v_thresh) */
  double v_rest;            /* resting potential (volts, finite) */
  double resistance;        /* membrane resistance R in ohms, finite and > 0 (Rockpool: 1) */
  double noise_std;         /* >= 0, volts: the std of the free membrane's fluctuation; each step adds
                               the current noise_std * sqrt(2 tau_mem / dt) / R * z, z ~ N(0, 1) */
  int32_t weight_layout;    /* snn_weight_layout of `weight` (0, the zero default: [N, N_in]) */
  /* Per-neuron values, each float64 [N] on the device of `input`, or NULL for the scalar above (a
   * NULL default keeps zero-initialised params meaning what they did). The rules of the scalars hold
   * for every neuron: tau_mem[n] finite and > 0, the potentials finite, v_thresh[n] > v_reset[n]. */
  const snn_tensor* tau_mem_per_neuron;
  const snn_tensor* v_thresh_per_neuron;
  const snn_tensor* v_reset_per_neuron;
  const snn_tensor* v_rest_per_neuron;
} snn_iaf_params;

/* State carried between calls, each float32 [B, N] or NULL. membrane: v in volts (NULL: starts at
 * v_rest, the final value dropped); refractory: steps the neuron is still held (NULL: 0). */
typedef struct snn_iaf_state {
  snn_tensor* membrane;
  snn_tensor* refractory;
} snn_iaf_state;

/* Runs T >= 1 steps of input. The current of step t is
 *   x[t, b, n] = input[t, b, :] @ weight[n, :] + bias[n]   when weight is given (float32 [N, N_in], the layout
 *                                                            of snn_linear_forward: rows are neurons; or
 *                                                            [N_in, N] with SNN_WEIGHT_INPUT_MAJOR, read as
 *                                                            its transpose without a copy), or
 *   x[t, b, n] = input[t, b, n] + bias[n]                  when weight is NULL (input already in amperes),
 * with bias float32 [N] or NULL (0), in amperes. The projection is the backend's matrix multiply (OpenBLAS,
 * cuBLAS) over blocks of time steps, each block's currents consumed by the neurons while still in cache. Then
 * for every (t, b, n), with z(t, b, n) the standard normal number j = b * N + n of step t (below):
 *   if the refractory counter c > 0:  c -= 1; v is held; no spike
 *   else:  I = x + noise_std * sqrt(2 tau_mem / dt) / R * z;  v' = v + (v_rest + R I - v) g;
 *          if v' > v_thresh: spike, v' = v_reset, c = refractory_steps
 * with tau_mem (so g), v_thresh, v_reset and v_rest those of neuron n (per neuron when given).
 * spikes[t, b, n] = 1 or 0. Each step is computed in double precision from the float32 state and the current
 * (x rounded to float32, plus the bias in double) and v' rounded to float32, so splitting T over several calls
 * changes nothing.
 * z(t, j) = sqrt(-2 ln(1 - u0)) cos(2 pi u1) (Box-Muller in double), u0, u1 the uniforms 2j and
 * 2j + 1 of the snn Philox stream (seed, step + t) (snn/random.h); |z| < 5.8.
 * input: float32 [T, B, N_in] (or [T, B, N] without weight); spikes: float32 [T, B, N]; record_membrane:
 * float32 [T, B, N] (v after each step and its reset, i.e. Brian2's v at time (t + 1) dt) or NULL.
 * state: optional (NULL). Outputs must not share memory with each other or with the inputs. */
SNN_API snn_status snn_iaf_forward(const snn_tensor* input, const snn_tensor* weight, const snn_tensor* bias,
                                   const snn_iaf_params* params, const snn_iaf_state* state, snn_tensor* spikes,
                                   snn_tensor* record_membrane);

#endif /* SNN_IAF_H */
