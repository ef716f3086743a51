/* snn: the interface of custom neuron callbacks for event-driven layers
 * (SpikingNetwork.AddFcLayerFromSource, docs/event-driven.md). EvSpikeSim's model.
 *
 * A callback source includes this header and defines, in namespace snn_callbacks:
 *
 *   TraceTaus traces_tau(float tau_s, float tau);
 *       the time constants (seconds) of each synaptic trace and each neuron trace; INFINITY means
 *       no decay. At most SNN_EVENT_MAX_TRACES of each.
 *   void on_pre_neuron(float weight, float* neuron_traces);
 *   void on_pre_synapse(float weight, const float* neuron_traces, float* synaptic_traces);
 *   void on_post_neuron(float* neuron_traces);
 *   void on_post_synapse(float weight, const float* neuron_traces, float* synaptic_traces);
 *
 * snn writes this header to <compile_path>/<name>-<hash>/include/snn/event_callbacks.h and compiles
 * the source with the system C++ compiler (C++17, -O2) into a shared library that it loads.
 * Order, per neuron: every trace decays exponentially between the neuron's events. On an input
 * spike through synapse j: decay, on_pre_synapse(w_j, neuron traces, traces of synapse j), then
 * on_pre_neuron(w_j, neuron traces), then the spike is integrated. On an output spike: decay,
 * on_post_neuron(neuron traces), then on_post_synapse(w_j, ...) for every synapse j in order, then
 * the reset. Traces start at zero at every inference. Callbacks see weights but cannot change
 * them (a learning rule changes the layer's weights between inferences from the traces).
 * Callbacks run concurrently for different neurons: they must only touch the traces they get.
 * Since a callback can only change its traces, snn does not call on_pre_synapse/on_post_synapse
 * when there is no synaptic trace, nor on_pre_neuron/on_post_neuron when there is no neuron trace.
 * An exception thrown by a callback makes the inference fail with its message. */
#ifndef SNN_EVENT_CALLBACKS_H
#define SNN_EVENT_CALLBACKS_H

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <vector>

#define SNN_EVENT_CALLBACKS_VERSION 1
#define SNN_EVENT_MAX_TRACES 16

namespace snn_callbacks {

struct TraceTaus {
  std::vector<float> synaptic;  // one time constant per synaptic trace
  std::vector<float> neuron;    // one time constant per neuron trace
};

TraceTaus traces_tau(float tau_s, float tau);
void on_pre_neuron(float weight, float* neuron_traces);
void on_pre_synapse(float weight, const float* neuron_traces, float* synaptic_traces);
void on_post_neuron(float* neuron_traces);
void on_post_synapse(float weight, const float* neuron_traces, float* synaptic_traces);

namespace detail {
// The first exception a callback threw, until snn reads it.
inline char error_message[512] = {0};
inline int error_raised = 0;

inline void record(const char* what) noexcept {
  if (__atomic_exchange_n(&error_raised, 1, __ATOMIC_ACQ_REL) != 0) return;
  std::strncpy(error_message, what != nullptr ? what : "unknown exception", sizeof error_message - 1);
}
}  // namespace detail

}  // namespace snn_callbacks

// The C entry points snn looks up in the compiled library. They forward to the functions above
// and keep exceptions from crossing into snn.
#define SNN_EVENT_CALLBACK_EXPORT extern "C" __attribute__((visibility("default")))
#define SNN_EVENT_CALLBACK_GUARD(call)                                      \
  try {                                                                      \
    call;                                                                    \
  } catch (const std::exception& e) {                                        \
    snn_callbacks::detail::record(e.what());                                 \
  } catch (...) {                                                            \
    snn_callbacks::detail::record("a callback threw a non-standard exception"); \
  }

SNN_EVENT_CALLBACK_EXPORT int32_t snn_event_callbacks_version(void) { return SNN_EVENT_CALLBACKS_VERSION; }

// Writes the trace time constants; returns 0, or 1 when a list is longer than SNN_EVENT_MAX_TRACES
// (or traces_tau threw).
SNN_EVENT_CALLBACK_EXPORT int32_t snn_event_callbacks_traces(float tau_s, float tau, float* synaptic,
                                                             int32_t* n_synaptic, float* neuron, int32_t* n_neuron) {
  try {
    const snn_callbacks::TraceTaus taus = snn_callbacks::traces_tau(tau_s, tau);
    *n_synaptic = static_cast<int32_t>(taus.synaptic.size());
    *n_neuron = static_cast<int32_t>(taus.neuron.size());
    if (taus.synaptic.size() > SNN_EVENT_MAX_TRACES || taus.neuron.size() > SNN_EVENT_MAX_TRACES) return 1;
    for (size_t k = 0; k < taus.synaptic.size(); ++k) synaptic[k] = taus.synaptic[k];
    for (size_t k = 0; k < taus.neuron.size(); ++k) neuron[k] = taus.neuron[k];
    return 0;
  } catch (const std::exception& e) {
    snn_callbacks::detail::record(e.what());
    return 1;
  }
}

SNN_EVENT_CALLBACK_EXPORT void snn_event_callbacks_on_pre_neuron(float weight, float* neuron_traces) {
  SNN_EVENT_CALLBACK_GUARD(snn_callbacks::on_pre_neuron(weight, neuron_traces))
}

SNN_EVENT_CALLBACK_EXPORT void snn_event_callbacks_on_pre_synapse(float weight, const float* neuron_traces,
                                                                  float* synaptic_traces) {
  SNN_EVENT_CALLBACK_GUARD(snn_callbacks::on_pre_synapse(weight, neuron_traces, synaptic_traces))
}

SNN_EVENT_CALLBACK_EXPORT void snn_event_callbacks_on_post_neuron(float* neuron_traces) {
  SNN_EVENT_CALLBACK_GUARD(snn_callbacks::on_post_neuron(neuron_traces))
}

SNN_EVENT_CALLBACK_EXPORT void snn_event_callbacks_on_post_synapse(float weight, const float* neuron_traces,
                                                                   float* synaptic_traces) {
  SNN_EVENT_CALLBACK_GUARD(snn_callbacks::on_post_synapse(weight, neuron_traces, synaptic_traces))
}

// Copies the first recorded exception message into buffer[capacity] and clears it; returns 1 when
// there was one, else 0.
SNN_EVENT_CALLBACK_EXPORT int32_t snn_event_callbacks_take_error(char* buffer, int32_t capacity) {
  if (__atomic_load_n(&snn_callbacks::detail::error_raised, __ATOMIC_ACQUIRE) == 0) return 0;
  if (capacity > 0) {
    std::strncpy(buffer, snn_callbacks::detail::error_message, static_cast<size_t>(capacity) - 1);
    buffer[capacity - 1] = '\0';
  }
  snn_callbacks::detail::error_message[0] = '\0';
  __atomic_store_n(&snn_callbacks::detail::error_raised, 0, __ATOMIC_RELEASE);
  return 1;
}

/* EvSpikeSim's callback interface, for sources written for EvSpikeSim: they include
 * <evspikesim/Layers/EligibilityTraces.h>, which snn writes next to this header as
 *   #define SNN_EVENT_CALLBACKS_EVSPIKESIM 1
 *   #include <snn/event_callbacks.h>
 * and define synaptic_traces_tau, neuron_traces_tau and the four callbacks in namespace EvSpikeSim
 * (with its CALLBACK decorator and EvSpikeSim::vector). They compile unchanged; the functions above
 * forward to them. */
#ifdef SNN_EVENT_CALLBACKS_EVSPIKESIM
#include <memory>
#include <utility>

#ifndef DEVICE
#define DEVICE
#endif
#ifndef GLOBAL
#define GLOBAL
#endif
#ifndef INLINE
#define INLINE inline
#endif
#ifndef CALLBACK
#define CALLBACK
#endif

namespace EvSpikeSim {
template <typename T>
using vector = std::vector<T>;
template <typename T>
using unique_ptr = std::unique_ptr<T>;

vector<float> synaptic_traces_tau(float tau_s, float tau);
vector<float> neuron_traces_tau(float tau);
CALLBACK void on_pre_neuron(float weight, float* neuron_traces);
CALLBACK void on_pre_synapse(float weight, const float* neuron_traces, float* synaptic_traces);
CALLBACK void on_post_neuron(float* neuron_traces);
CALLBACK void on_post_synapse(float weight, const float* neuron_traces, float* synaptic_traces);
}  // namespace EvSpikeSim

namespace snn_callbacks {
TraceTaus traces_tau(float tau_s, float tau) {
  return {EvSpikeSim::synaptic_traces_tau(tau_s, tau), EvSpikeSim::neuron_traces_tau(tau)};
}
void on_pre_neuron(float weight, float* neuron_traces) { EvSpikeSim::on_pre_neuron(weight, neuron_traces); }
void on_pre_synapse(float weight, const float* neuron_traces, float* synaptic_traces) {
  EvSpikeSim::on_pre_synapse(weight, neuron_traces, synaptic_traces);
}
void on_post_neuron(float* neuron_traces) { EvSpikeSim::on_post_neuron(neuron_traces); }
void on_post_synapse(float weight, const float* neuron_traces, float* synaptic_traces) {
  EvSpikeSim::on_post_synapse(weight, neuron_traces, synaptic_traces);
}
}  // namespace snn_callbacks
#endif /* SNN_EVENT_CALLBACKS_EVSPIKESIM */

#endif /* SNN_EVENT_CALLBACKS_H */
