// The event-driven simulator's entry points (snn/event.h): validate every argument, then run
// the layers. Nothing is written before all checks pass; an inference builds its results aside
// and swaps them in at the end, so a failing call leaves the previous results as they were.
#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

#include "api/enum_arg.h"
#include "api/validate.h"
#include "core/guard.h"
#include "event/fc_op.h"
#include "event/network.h"
#include "snn/event.h"

using namespace snn;

namespace {

event::Network& require_network(const snn_event_network* network, const char* name) {
  if (network == nullptr) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is NULL; pass a network from snn_event_network_create"));
  }
  if (handle_magic(network) != snn_event_network::kMagic) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name, " is not a live snn_event_network handle; pass a network from snn_event_network_create"));
  }
  return *network->network;
}

void require_host_float_tensor(const snn_tensor& t, const char* name) {
  api::require_dtype(t, SNN_DTYPE_FLOAT32, name);
  if (!t.backend().host_addressable()) {
    fail(SNN_ERROR_UNSUPPORTED, str(name, " is ", describe(t), "; the event-driven simulator reads weights in host "
                                          "memory: pass a tensor on a CPU device"));
  }
}

const event::FcLayer& require_layer(const event::Network& n, int64_t layer) {
  if (layer < 0 || layer >= static_cast<int64_t>(n.layers.size())) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("layer ", layer, " does not exist; the network has ", n.layers.size(),
                                         " layers, pass an index in [0, ", n.layers.size(), ")"));
  }
  return n.layers[static_cast<size_t>(layer)];
}

const event::LayerOutput& require_output(const event::Network& n, int64_t layer, int64_t sample) {
  require_layer(n, layer);
  if (sample < 0 || sample >= n.batch) {
    if (n.batch == 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("sample ", sample, " does not exist: the last inference ran no sample (or "
                                           "none ran since the last layer was added); call snn_event_network_infer first"));
    }
    fail(SNN_ERROR_INVALID_ARGUMENT, str("sample ", sample, " does not exist; the last inference ran ", n.batch,
                                         " samples, pass an index in [0, ", n.batch, ")"));
  }
  return n.outputs[static_cast<size_t>(layer)];
}

}  // namespace

namespace {

void create_network(snn_device* device, int32_t solver, snn_event_network** out_network) {
  snn_device& d = api::require_device(device, "device");
  api::require_ptr(out_network, "out_network");
  (void)event::fc_forward_op.require_kernel(d.backend->kind());  // a typed error now, not at the first inference
  auto network = std::make_unique<event::Network>(Ref<snn_device>::share(&d));
  network->solver = static_cast<event::Solver>(solver);
  *out_network = new snn_event_network(std::move(network));
}

}  // namespace

SNN_API snn_status snn_event_network_create(snn_device* device, snn_event_network** out_network) {
  return guard("snn_event_network_create", [&] { create_network(device, SNN_EVENT_SOLVER_EXACT, out_network); });
}

SNN_API snn_status snn_event_network_create_with_solver(snn_device* device, int32_t solver,
                                                        snn_event_network** out_network) {
  return guard("snn_event_network_create_with_solver", [&] {
    if (solver != SNN_EVENT_SOLVER_EXACT && solver != SNN_EVENT_SOLVER_FLOAT32) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("solver must be SNN_EVENT_SOLVER_EXACT (0) or SNN_EVENT_SOLVER_FLOAT32 (1), "
                                           "got ", solver));
    }
    create_network(device, solver, out_network);
  });
}

SNN_API void snn_event_network_release(snn_event_network* network) {
  guard_void("snn_event_network_release", [&] {
    if (network != nullptr) release(network);
  });
}

namespace {

// Validates a layer and its weights; `callbacks_path` (or NULL) names the callback library, which is
// loaded only once everything else has been checked. Appends the layer and clears the results.
void add_layer(snn_event_network* network, const snn_event_fc_params* params, snn_tensor* weights,
               const char* callbacks_path, bool with_callbacks, int64_t* out_index) {
  event::Network& n = require_network(network, "network");
  api::require_ptr(params, "params");
  snn_tensor& w = api::require_tensor(weights, "weights");
  if (with_callbacks) api::require_ptr(callbacks_path, "library_path");
  api::require_ptr(out_index, "out_index");
  const snn_event_fc_params p = *params;
  constexpr int64_t kMaxNeurons = std::numeric_limits<uint32_t>::max();  // spike indices are uint32
  if (p.n_inputs < 1 || p.n_inputs > kMaxNeurons) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("n_inputs must be in [1, ", kMaxNeurons, "], got ", p.n_inputs,
                                         "; pass the number of inputs of the layer"));
  }
  if (p.n_neurons < 1 || p.n_neurons > kMaxNeurons) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("n_neurons must be in [1, ", kMaxNeurons, "], got ", p.n_neurons,
                                         "; pass the number of neurons of the layer"));
  }
  if (!(std::isfinite(p.tau_s) && p.tau_s > 0.0f && std::isfinite(2.0f * p.tau_s))) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("tau_s must be finite and > 0 (and 2 * tau_s finite), got ", p.tau_s,
                                         "; pass the synaptic time constant in seconds, e.g. 0.01"));
  }
  if (!(std::isfinite(p.threshold) && p.threshold > 0.0f)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("threshold must be finite and > 0, got ", p.threshold,
                                         "; pass a positive threshold (a neuron at rest has u = 0)"));
  }
  if (p.buffer_size < 1) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("buffer_size must be >= 1, got ", p.buffer_size, "; pass the expected spikes per neuron, e.g. 64"));
  }
  require_host_float_tensor(w, "weights");
  api::require_rank(w, 2, "weights", "[n_neurons, n_inputs]");
  if (w.shape[0] != p.n_neurons || w.shape[1] != p.n_inputs) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("weights ", shape_string(2, w.shape), " does not match the layer; pass "
                                         "float32 [n_neurons, n_inputs] = [", p.n_neurons, ", ", p.n_inputs, "]"));
  }
  std::lock_guard<std::mutex> lock(n.mutex);
  if (!n.layers.empty()) {
    const int64_t previous = n.layers.back().params.n_neurons;
    if (p.n_inputs != previous) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("layer ", n.layers.size(), " would have n_inputs = ", p.n_inputs, " but layer ", n.layers.size() - 1,
               " has ", previous, " neurons; a layer's n_inputs must be the n_neurons of the layer before it"));
    }
  }
  std::shared_ptr<const event::Callbacks> callbacks;
  if (with_callbacks) callbacks = event::load_callbacks(callbacks_path, p.tau_s, 2.0f * p.tau_s);
  n.layers.reserve(n.layers.size() + 1);
  n.outputs.clear();
  n.batch = 0;
  n.layers.push_back(event::FcLayer{p, Ref<snn_tensor>::share(&w), std::move(callbacks), {}, n.solver});
  *out_index = static_cast<int64_t>(n.layers.size()) - 1;
}

}  // namespace

SNN_API snn_status snn_event_network_add_fc_layer(snn_event_network* network, const snn_event_fc_params* params,
                                                  snn_tensor* weights, int64_t* out_index) {
  return guard("snn_event_network_add_fc_layer",
               [&] { add_layer(network, params, weights, nullptr, false, out_index); });
}

SNN_API const char* snn_event_callbacks_header(void) { return event::kCallbacksHeader; }

SNN_API snn_status snn_event_network_add_fc_layer_from_library(snn_event_network* network,
                                                               const snn_event_fc_params* params, snn_tensor* weights,
                                                               const char* library_path, int64_t* out_index) {
  return guard("snn_event_network_add_fc_layer_from_library",
               [&] { add_layer(network, params, weights, library_path, true, out_index); });
}

SNN_API snn_status snn_event_network_trace_counts(const snn_event_network* network, int64_t layer,
                                                  int32_t* out_synaptic, int32_t* out_neuron) {
  return guard("snn_event_network_trace_counts", [&] {
    event::Network& n = require_network(network, "network");
    api::require_ptr(out_synaptic, "out_synaptic");
    api::require_ptr(out_neuron, "out_neuron");
    std::lock_guard<std::mutex> lock(n.mutex);
    const event::FcLayer& l = require_layer(n, layer);
    *out_synaptic = l.callbacks ? static_cast<int32_t>(l.callbacks->synaptic_taus.size()) : 0;
    *out_neuron = l.callbacks ? static_cast<int32_t>(l.callbacks->neuron_taus.size()) : 0;
  });
}

SNN_API snn_status snn_event_network_layer_count(const snn_event_network* network, int64_t* out_count) {
  return guard("snn_event_network_layer_count", [&] {
    event::Network& n = require_network(network, "network");
    api::require_ptr(out_count, "out_count");
    std::lock_guard<std::mutex> lock(n.mutex);
    *out_count = static_cast<int64_t>(n.layers.size());
  });
}

SNN_API snn_status snn_event_network_infer(snn_event_network* network, int64_t batch, const int64_t* offsets,
                                           const uint32_t* indices, const float* times) {
  return guard("snn_event_network_infer", [&] {
    event::Network& n = require_network(network, "network");
    if (batch < 0) fail(SNN_ERROR_INVALID_ARGUMENT, str("batch must be >= 0, got ", batch));
    api::require_ptr(offsets, "offsets");
    std::lock_guard<std::mutex> lock(n.mutex);
    if (n.layers.empty()) {
      fail(SNN_ERROR_INVALID_ARGUMENT, "the network has no layer; add one with snn_event_network_add_fc_layer first");
    }
    if (offsets[0] != 0) fail(SNN_ERROR_INVALID_ARGUMENT, str("offsets[0] must be 0, got ", offsets[0]));
    for (int64_t s = 0; s < batch; ++s) {
      if (offsets[s + 1] < offsets[s]) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("offsets must not decrease, got offsets[", s, "] = ", offsets[s],
                                             " and offsets[", s + 1, "] = ", offsets[s + 1],
                                             "; sample s holds spikes [offsets[s], offsets[s + 1])"));
      }
    }
    const int64_t total = offsets[batch];
    if (total > 0) {
      api::require_ptr(indices, "indices");
      api::require_ptr(times, "times");
    }
    const int64_t n_inputs = n.layers.front().params.n_inputs;
    for (int64_t s = 0; s < batch; ++s) {
      for (int64_t g = offsets[s]; g < offsets[s + 1]; ++g) {
        const int64_t k = g - offsets[s];
        if (static_cast<int64_t>(indices[g]) >= n_inputs) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str("sample ", s, ", spike ", k, " has index ", indices[g],
                                               " but the first layer has ", n_inputs, " inputs; pass indices in [0, ",
                                               n_inputs, ")"));
        }
        const float t = times[g];
        if (!(std::isfinite(t) && t >= 0.0f)) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str("sample ", s, ", spike ", k, " has time ", t,
                                               "; spike times must be finite and >= 0 (seconds from the start of "
                                               "the sample)"));
        }
        if (k > 0 && t < times[g - 1]) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str("sample ", s, " is not sorted by time: spike ", k, " at ", t,
                                               " comes after spike ", k - 1, " at ", times[g - 1],
                                               "; sort each sample's spikes by time first"));
        }
      }
    }

    std::lock_guard<std::mutex> device_lock(n.device->backend->mutex());
    std::vector<event::LayerOutput> outputs(n.layers.size());
    event::SpikeBatchView input{batch, offsets, indices, times};
    for (size_t l = 0; l < n.layers.size(); ++l) {
      run(*n.device->backend, event::fc_forward_op,
          event::FcForwardArgs{n.layers[l].args(), input, &n.layers[l].scratch, &outputs[l]});
      input = outputs[l].view();
    }
    n.outputs.swap(outputs);
    n.batch = batch;
  });
}

SNN_API snn_status snn_event_network_batch_size(const snn_event_network* network, int64_t* out_batch) {
  return guard("snn_event_network_batch_size", [&] {
    event::Network& n = require_network(network, "network");
    api::require_ptr(out_batch, "out_batch");
    std::lock_guard<std::mutex> lock(n.mutex);
    *out_batch = n.batch;
  });
}

SNN_API snn_status snn_event_network_spike_count(const snn_event_network* network, int64_t layer, int64_t sample,
                                                 int64_t* out_count) {
  return guard("snn_event_network_spike_count", [&] {
    event::Network& n = require_network(network, "network");
    api::require_ptr(out_count, "out_count");
    std::lock_guard<std::mutex> lock(n.mutex);
    const event::LayerOutput& o = require_output(n, layer, sample);
    *out_count = o.offsets[static_cast<size_t>(sample) + 1] - o.offsets[static_cast<size_t>(sample)];
  });
}

SNN_API snn_status snn_event_network_spikes(const snn_event_network* network, int64_t layer, int64_t sample,
                                            uint32_t* indices, float* times, int64_t count) {
  return guard("snn_event_network_spikes", [&] {
    event::Network& n = require_network(network, "network");
    std::lock_guard<std::mutex> lock(n.mutex);
    const event::LayerOutput& o = require_output(n, layer, sample);
    const int64_t begin = o.offsets[static_cast<size_t>(sample)];
    const int64_t size = o.offsets[static_cast<size_t>(sample) + 1] - begin;
    if (count != size) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("count is ", count, " but layer ", layer, " fired ", size,
                                           " spikes in sample ", sample,
                                           "; pass buffers of snn_event_network_spike_count entries"));
    }
    if (size == 0) return;
    api::require_ptr(indices, "indices");
    api::require_ptr(times, "times");
    std::copy(o.indices.begin() + begin, o.indices.begin() + begin + size, indices);
    std::copy(o.times.begin() + begin, o.times.begin() + begin + size, times);
  });
}

SNN_API snn_status snn_event_network_neuron_spike_counts(const snn_event_network* network, int64_t layer,
                                                         int64_t sample, uint32_t* counts, int64_t count) {
  return guard("snn_event_network_neuron_spike_counts", [&] {
    event::Network& n = require_network(network, "network");
    std::lock_guard<std::mutex> lock(n.mutex);
    const event::LayerOutput& o = require_output(n, layer, sample);
    const int64_t neurons = n.layers[static_cast<size_t>(layer)].params.n_neurons;
    if (count != neurons) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("count is ", count, " but layer ", layer, " has ", neurons,
                                           " neurons; pass a buffer of n_neurons entries"));
    }
    api::require_ptr(counts, "counts");
    const auto first = o.neuron_counts.begin() + sample * neurons;
    std::copy(first, first + neurons, counts);
  });
}

namespace {
void copy_traces(const snn_event_network* network, int64_t layer, int64_t sample, float* traces, int64_t count,
                 bool synaptic) {
  event::Network& n = require_network(network, "network");
  std::lock_guard<std::mutex> lock(n.mutex);
  const event::LayerOutput& o = require_output(n, layer, sample);
  const event::FcLayer& l = n.layers[static_cast<size_t>(layer)];
  const int64_t per_neuron =
      !l.callbacks ? 0
      : synaptic   ? l.params.n_inputs * static_cast<int64_t>(l.callbacks->synaptic_taus.size())
                   : static_cast<int64_t>(l.callbacks->neuron_taus.size());
  const int64_t size = l.params.n_neurons * per_neuron;
  if (count != size) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("count is ", count, " but layer ", layer, " has ", size, synaptic ? " synaptic" : " neuron",
             " trace values per sample; pass a buffer of that many floats (see snn_event_network_trace_counts)"));
  }
  if (size == 0) return;
  api::require_ptr(traces, "traces");
  const std::vector<float>& all = synaptic ? o.synaptic_traces : o.neuron_traces;
  std::copy(all.begin() + sample * size, all.begin() + (sample + 1) * size, traces);
}
}  // namespace

SNN_API snn_status snn_event_network_synaptic_traces(const snn_event_network* network, int64_t layer, int64_t sample,
                                                     float* traces, int64_t count) {
  return guard("snn_event_network_synaptic_traces",
               [&] { copy_traces(network, layer, sample, traces, count, true); });
}

SNN_API snn_status snn_event_network_neuron_traces(const snn_event_network* network, int64_t layer, int64_t sample,
                                                   float* traces, int64_t count) {
  return guard("snn_event_network_neuron_traces", [&] { copy_traces(network, layer, sample, traces, count, false); });
}
