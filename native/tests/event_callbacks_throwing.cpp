// A callback library whose on_post_neuron throws: the inference must fail with the message.
#include <snn/event_callbacks.h>

#include <stdexcept>

namespace snn_callbacks {

TraceTaus traces_tau(float /*tau_s*/, float /*tau*/) { return {{}, {INFINITY}}; }
void on_pre_neuron(float /*weight*/, float* /*neuron_traces*/) {}
void on_pre_synapse(float /*weight*/, const float* /*neuron_traces*/, float* /*synaptic_traces*/) {}
void on_post_neuron(float* neuron_traces) {
  neuron_traces[0] += 1.0f;
  if (neuron_traces[0] >= 2.0f) throw std::runtime_error("second spike of a neuron");
}
void on_post_synapse(float /*weight*/, const float* /*neuron_traces*/, float* /*synaptic_traces*/) {}

}  // namespace snn_callbacks
