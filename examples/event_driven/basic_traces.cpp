// Simple traces for SpikingNetwork.AddFcLayerFromSource: what each neuron saw and did.
// Synaptic trace 0: input spikes through the synapse, filtered with tau_s (decays).
// Synaptic trace 1: input spikes through the synapse, counted (never decays).
// Neuron trace 0: output spikes of the neuron, counted (never decays).
// Neuron trace 1: the sum of the weights of the input spikes received (never decays).
#include <snn/event_callbacks.h>

namespace snn_callbacks {

TraceTaus traces_tau(float tau_s, float /*tau*/) { return {{tau_s, INFINITY}, {INFINITY, INFINITY}}; }

void on_pre_neuron(float weight, float* neuron_traces) { neuron_traces[1] += weight; }

void on_pre_synapse(float /*weight*/, const float* /*neuron_traces*/, float* synaptic_traces) {
  synaptic_traces[0] += 1.0f;
  synaptic_traces[1] += 1.0f;
}

void on_post_neuron(float* neuron_traces) { neuron_traces[0] += 1.0f; }

void on_post_synapse(float /*weight*/, const float* /*neuron_traces*/, float* /*synaptic_traces*/) {}

}  // namespace snn_callbacks
