// Callbacks that do nothing and no traces: a custom layer that behaves like the built-in one.
// bench/event_driven uses it to measure what the callback machinery costs.
#include <snn/event_callbacks.h>

namespace snn_callbacks {

TraceTaus traces_tau(float /*tau_s*/, float /*tau*/) { return {}; }
void on_pre_neuron(float /*weight*/, float* /*neuron_traces*/) {}
void on_pre_synapse(float /*weight*/, const float* /*neuron_traces*/, float* /*synaptic_traces*/) {}
void on_post_neuron(float* /*neuron_traces*/) {}
void on_post_synapse(float /*weight*/, const float* /*neuron_traces*/, float* /*synaptic_traces*/) {}

}  // namespace snn_callbacks
