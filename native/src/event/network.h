// The object behind the opaque snn_event_network handle: a device, a stack of fully connected
// layers whose weights are tensors the network holds references to, and the spikes of every
// layer from the last inference.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "core/refcount.h"
#include "device/device.h"
#include "event/callbacks.h"
#include "event/fc_kernel.h"
#include "snn/event.h"
#include "tensor/tensor.h"

namespace snn::event {

struct FcLayer {
  snn_event_fc_params params;
  Ref<snn_tensor> weights;  // float32 [n_neurons, n_inputs] on a CPU device
  std::shared_ptr<const Callbacks> callbacks;  // custom neurons, or null for the built-in ones
  std::vector<float> scratch;  // the kernel's weight panels, rebuilt by each inference that uses them
  Solver solver = Solver::kExact;  // the network's, set when the layer is added

  FcLayerArgs args() const {
    return FcLayerArgs{static_cast<const float*>(weights->data), params.n_inputs, params.n_neurons,
                       2.0f * params.tau_s, params.threshold, params.buffer_size, callbacks.get(), solver};
  }
};

struct Network {
  explicit Network(Ref<snn_device> d) : device(std::move(d)) {}

  std::mutex mutex;  // one call at a time on this network
  Solver solver = Solver::kExact;
  Ref<snn_device> device;
  std::vector<FcLayer> layers;
  int64_t batch = 0;                // samples of the last inference
  std::vector<LayerOutput> outputs;  // one per layer after an inference, else empty
};

}  // namespace snn::event

struct snn_event_network {
  static constexpr uint32_t kMagic = 0x45766e53u;  // first member: see core/refcount.h
  uint32_t magic = kMagic;
  std::atomic<int64_t> refs{1};
  snn::event::Network* network = nullptr;  // owned

  explicit snn_event_network(std::unique_ptr<snn::event::Network> n) noexcept : network(n.release()) {}
  ~snn_event_network() {
    magic = 0;  // best effort only: the store may be elided
    delete network;
  }
  snn_event_network(const snn_event_network&) = delete;
  snn_event_network& operator=(const snn_event_network&) = delete;
};
static_assert(std::is_standard_layout_v<snn_event_network>, "handle objects must be standard-layout");
