// Pair-based STDP eligibility for SpikingNetwork.AddFcLayerFromSource (snn.event_driven's
// add_fc_layer_from_source), in the form EvSpikeSim's reward-modulated STDP demo uses.
//
// Synaptic trace 0: presynaptic trace x_j (+1 per input spike, decays with the membrane tau).
// Synaptic trace 1: the accumulated STDP eligibility e_j (never decays):
//   + x_j at every output spike (potentiation: inputs shortly before the output spike),
//   - y   at every input spike   (depression: inputs shortly after an output spike).
// Neuron trace 0: postsynaptic trace y (+1 per output spike, decays with tau).
// A reward-modulated rule then updates w_ij += lr * reward_i * e_ij between inferences.
#include <snn/event_callbacks.h>

namespace snn_callbacks {

constexpr float kPreIncrement = 1.0f;
constexpr float kPostIncrement = 1.0f;

TraceTaus traces_tau(float /*tau_s*/, float tau) { return {{tau, INFINITY}, {tau}}; }

void on_pre_neuron(float /*weight*/, float* /*neuron_traces*/) {}

void on_pre_synapse(float /*weight*/, const float* neuron_traces, float* synaptic_traces) {
  synaptic_traces[0] += kPreIncrement;
  synaptic_traces[1] -= neuron_traces[0];
}

void on_post_neuron(float* neuron_traces) { neuron_traces[0] += kPostIncrement; }

void on_post_synapse(float /*weight*/, const float* /*neuron_traces*/, float* synaptic_traces) {
  synaptic_traces[1] += synaptic_traces[0];
}

}  // namespace snn_callbacks
