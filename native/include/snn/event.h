/* snn C ABI: exact event-driven simulation of fully connected networks of current-based LIF
 * neurons, spike by spike in continuous time, with no time step.
 *
 * Every neuron i of a layer with synaptic time constant tau_s and membrane time constant
 * tau = 2 * tau_s has the membrane potential
 *   u_i(t) = sum_j w_ij sum_{t_j < t} (exp(-(t - t_j) / tau) - exp(-(t - t_j) / tau_s))
 *            - threshold * sum_{t_i < t} exp(-(t - t_i) / tau)
 * and fires at every time u_i reaches the threshold. The simulator keeps a (decaying with
 * tau_s) and b (decaying with tau), u = b x - a x^2 with x = exp(-dt / tau), adds w to both on an
 * input spike, solves a x^2 - b x + threshold = 0 for the next output spike between two input
 * spikes (several per interval are allowed; after the last input the interval is open), and
 * subtracts threshold from b after each output spike (snn_event_solver says in which
 * arithmetic). Times are in seconds from the start of each sample. docs/event-driven.md has the
 * details, the buffer policy and the differences from the reference simulator it is compared with. */
#ifndef SNN_EVENT_H
#define SNN_EVENT_H

#include "snn/tensor.h"

/* A feed-forward stack of fully connected layers and the spikes of its last inference. */
typedef struct snn_event_network snn_event_network;

typedef struct snn_event_fc_params {
  int64_t n_inputs;    /* inputs per neuron, >= 1; the previous layer's n_neurons */
  int64_t n_neurons;   /* neurons of the layer, >= 1 */
  float tau_s;         /* synaptic time constant in seconds, finite and > 0; tau = 2 * tau_s */
  float threshold;     /* firing threshold, finite and > 0 */
  int64_t buffer_size; /* output spikes per neuron reserved up front, >= 1; grows on demand */
} snn_event_fc_params;

/* New network without layers, computing on `device` (CPU; it keeps a reference). Its thread
 * count is the device's (snn_device_set_num_threads). CUDA devices: SNN_ERROR_UNSUPPORTED. */
SNN_API snn_status snn_event_network_create(snn_device* device, snn_event_network** out_network);

/* Drops the caller's reference; NULL is ignored. The layers' weight tensors are released too. */
SNN_API void snn_event_network_release(snn_event_network* network);

/* Appends a fully connected layer. `weights` is float32 [n_neurons, n_inputs] on a CPU device;
 * the network keeps a reference to it and reads its current contents at every inference, so
 * writes to its memory between inferences change the weights. n_inputs must equal the
 * n_neurons of the previous layer. Writes the new layer's index to *out_index. Clears the
 * results of the last inference. */
SNN_API snn_status snn_event_network_add_fc_layer(snn_event_network* network, const snn_event_fc_params* params,
                                                  snn_tensor* weights, int64_t* out_index);

/* Number of layers. */
SNN_API snn_status snn_event_network_layer_count(const snn_event_network* network, int64_t* out_count);

/* Runs `batch` samples (>= 0) through every layer. Sample s holds the input spikes
 * [offsets[s], offsets[s + 1]) of `indices` (each < the first layer's n_inputs) and `times`
 * (finite, >= 0, sorted non-decreasing within the sample); offsets has batch + 1 entries,
 * offsets[0] = 0, non-decreasing. Samples are independent and run in parallel with the
 * neurons; the results equal those of one call per sample, for any thread count. On success
 * the spikes of every layer replace those of the previous inference; on error they stay. */
SNN_API snn_status snn_event_network_infer(snn_event_network* network, int64_t batch, const int64_t* offsets,
                                           const uint32_t* indices, const float* times);

/* Samples of the last inference (0 before any, and after a layer was added). */
SNN_API snn_status snn_event_network_batch_size(const snn_event_network* network, int64_t* out_batch);

/* Number of output spikes of `layer` for `sample` in the last inference. */
SNN_API snn_status snn_event_network_spike_count(const snn_event_network* network, int64_t layer, int64_t sample,
                                                 int64_t* out_count);

/* Copies the output spikes of `layer` for `sample`, sorted by time, ties by neuron index:
 * `count` must equal snn_event_network_spike_count; indices and times hold count entries. */
SNN_API snn_status snn_event_network_spikes(const snn_event_network* network, int64_t layer, int64_t sample,
                                            uint32_t* indices, float* times, int64_t count);

/* Copies the number of output spikes of each neuron of `layer` for `sample`: `count` must
 * equal the layer's n_neurons. */
SNN_API snn_status snn_event_network_neuron_spike_counts(const snn_event_network* network, int64_t layer,
                                                         int64_t sample, uint32_t* counts, int64_t count);

/* ----- Custom neuron callbacks (layers whose neuron code is compiled at run time) ----- */

/* The text of <snn/event_callbacks.h>, the interface a callback source implements (static
 * storage, UTF-8): trace time constants and on_pre_neuron, on_pre_synapse, on_post_neuron,
 * on_post_synapse, with the call order documented in it. Compile a source against it into a
 * shared library and pass that to snn_event_network_add_fc_layer_from_library. */
SNN_API const char* snn_event_callbacks_header(void);

/* Like snn_event_network_add_fc_layer, for a layer whose neurons also run the callbacks of the
 * shared library at `library_path` (UTF-8), which the network loads (dlopen) and keeps loaded.
 * The layer's spikes are those of a plain layer with the same weights; its traces are kept per
 * sample. A library that cannot be loaded, lacks a function or gives bad trace time constants is
 * SNN_ERROR_INVALID_ARGUMENT with the reason; an exception thrown by a callback fails the
 * inference (SNN_ERROR_INVALID_ARGUMENT with its message). */
SNN_API snn_status snn_event_network_add_fc_layer_from_library(snn_event_network* network,
                                                               const snn_event_fc_params* params, snn_tensor* weights,
                                                               const char* library_path, int64_t* out_index);

/* Number of synaptic and neuron traces per neuron of `layer` (0 and 0 without callbacks). */
SNN_API snn_status snn_event_network_trace_counts(const snn_event_network* network, int64_t layer,
                                                  int32_t* out_synaptic, int32_t* out_neuron);

/* Copies the synaptic traces of `layer` at the end of `sample` of the last inference, float32
 * [n_neurons, n_inputs, n_synaptic] (each neuron's values at its last event): `count` must be
 * that product. */
SNN_API snn_status snn_event_network_synaptic_traces(const snn_event_network* network, int64_t layer, int64_t sample,
                                                     float* traces, int64_t count);

/* Copies the neuron traces of `layer` at the end of `sample`, float32 [n_neurons, n_neuron]. */
SNN_API snn_status snn_event_network_neuron_traces(const snn_event_network* network, int64_t layer, int64_t sample,
                                                   float* traces, int64_t count);

/* ----- Solvers ----- */

typedef enum snn_event_solver {
  /* The default. float64 neuron state; every upward crossing of the threshold is found, including
   * one within rounding of an input time (a membrane at or above threshold fires at once), and
   * output times are the float64 times rounded to float32. Matches a float64 run of the model. */
  SNN_EVENT_SOLVER_EXACT = 0,
  /* The reference simulator's arithmetic bit for bit (docs/event-driven.md): float32 state, its double-precision exp and log
   * rounded to float32, and its acceptance test current < t < next, which misses a crossing that
   * falls within rounding of an input (the neuron then stays silent until its membrane dips below
   * threshold). Equal output times are ordered by neuron index. For comparisons with that simulator. */
  SNN_EVENT_SOLVER_FLOAT32 = 1
} snn_event_solver;

/* Like snn_event_network_create, with the solver (snn_event_solver) every layer of the network uses. */
SNN_API snn_status snn_event_network_create_with_solver(snn_device* device, int32_t solver,
                                                        snn_event_network** out_network);

#endif /* SNN_EVENT_H */
