// Custom neuron callbacks of event-driven layers (snn_event_network_add_fc_layer_from_library):
// a shared library built from a source implementing <snn/event_callbacks.h>, loaded with dlopen.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn::event {

struct Callbacks {
  Callbacks() = default;
  Callbacks(const Callbacks&) = delete;
  Callbacks& operator=(const Callbacks&) = delete;
  ~Callbacks();  // dlclose

  void* handle = nullptr;
  std::string path;
  void (*on_pre_neuron)(float, float*) = nullptr;
  void (*on_pre_synapse)(float, const float*, float*) = nullptr;
  void (*on_post_neuron)(float*) = nullptr;
  void (*on_post_synapse)(float, const float*, float*) = nullptr;
  int32_t (*take_error)(char*, int32_t) = nullptr;
  std::vector<float> synaptic_taus;  // time constant of each synaptic trace (INFINITY: no decay)
  std::vector<float> neuron_taus;    // time constant of each neuron trace

  // Throws snn::Error(SNN_ERROR_INVALID_ARGUMENT) with the callbacks' first exception, if any.
  void rethrow_callback_error() const;
};

// Loads the library at `path` and asks it for the trace time constants of a layer with
// (tau_s, tau). Throws snn::Error(SNN_ERROR_INVALID_ARGUMENT) saying what is wrong.
std::shared_ptr<const Callbacks> load_callbacks(const char* path, float tau_s, float tau);

// The text of <snn/event_callbacks.h> (generated from the header at build time).
extern const char* const kCallbacksHeader;

}  // namespace snn::event
