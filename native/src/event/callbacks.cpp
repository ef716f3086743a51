#include "event/callbacks.h"

#include <dlfcn.h>

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/format.h"

namespace snn::event {

namespace {
constexpr int32_t kVersion = 1;      // SNN_EVENT_CALLBACKS_VERSION of <snn/event_callbacks.h>
constexpr int32_t kMaxTraces = 16;   // SNN_EVENT_MAX_TRACES

template <class Fn>
Fn symbol(void* handle, const std::string& path, const char* name) {
  dlerror();
  void* p = dlsym(handle, name);
  if (p == nullptr) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(path, " lacks the function ", name, "; build it from a source that "
                                         "includes <snn/event_callbacks.h> and defines every callback"));
  }
  Fn fn;
  static_assert(sizeof fn == sizeof p, "function and object pointers differ in size");
  std::memcpy(&fn, &p, sizeof fn);
  return fn;
}
}  // namespace

Callbacks::~Callbacks() {
  if (handle != nullptr) dlclose(handle);
}

void Callbacks::rethrow_callback_error() const {
  char message[512] = {0};
  if (take_error(message, static_cast<int32_t>(sizeof message)) != 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("a callback of ", path, " threw: ", message, "; fix the callback source (callbacks must not throw)"));
  }
}

std::shared_ptr<const Callbacks> load_callbacks(const char* path, float tau_s, float tau) {
  auto cb = std::make_shared<Callbacks>();
  cb->path = path;
  cb->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (cb->handle == nullptr) {
    const char* why = dlerror();
    fail(SNN_ERROR_INVALID_ARGUMENT, str("could not load the callback library ", path, ": ", why ? why : "unknown error",
                                         "; pass a shared library built from a source implementing "
                                         "<snn/event_callbacks.h> (SpikingNetwork.AddFcLayerFromSource does it)"));
  }
  const auto version = symbol<int32_t (*)()>(cb->handle, cb->path, "snn_event_callbacks_version");
  if (version() != kVersion) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(path, " implements callback interface version ", version(), " but snn needs ",
                                         kVersion, "; rebuild it against this snn's <snn/event_callbacks.h>"));
  }
  cb->on_pre_neuron = symbol<void (*)(float, float*)>(cb->handle, cb->path, "snn_event_callbacks_on_pre_neuron");
  cb->on_pre_synapse =
      symbol<void (*)(float, const float*, float*)>(cb->handle, cb->path, "snn_event_callbacks_on_pre_synapse");
  cb->on_post_neuron = symbol<void (*)(float*)>(cb->handle, cb->path, "snn_event_callbacks_on_post_neuron");
  cb->on_post_synapse =
      symbol<void (*)(float, const float*, float*)>(cb->handle, cb->path, "snn_event_callbacks_on_post_synapse");
  cb->take_error = symbol<int32_t (*)(char*, int32_t)>(cb->handle, cb->path, "snn_event_callbacks_take_error");
  const auto traces = symbol<int32_t (*)(float, float, float*, int32_t*, float*, int32_t*)>(
      cb->handle, cb->path, "snn_event_callbacks_traces");

  float synaptic[kMaxTraces] = {0}, neuron[kMaxTraces] = {0};
  int32_t n_synaptic = 0, n_neuron = 0;
  if (traces(tau_s, tau, synaptic, &n_synaptic, neuron, &n_neuron) != 0) {
    cb->rethrow_callback_error();
    fail(SNN_ERROR_INVALID_ARGUMENT, str("traces_tau of ", path, " returned ", n_synaptic, " synaptic and ", n_neuron,
                                         " neuron traces; at most ", kMaxTraces, " of each are allowed"));
  }
  cb->synaptic_taus.assign(synaptic, synaptic + n_synaptic);
  cb->neuron_taus.assign(neuron, neuron + n_neuron);
  for (const std::vector<float>* taus : {&cb->synaptic_taus, &cb->neuron_taus}) {
    for (float t : *taus) {
      if (!(t > 0.0f)) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("traces_tau of ", path, " gave the time constant ", t,
                                             "; trace time constants must be > 0 (INFINITY: no decay)"));
      }
    }
  }
  return cb;
}

}  // namespace snn::event
