// The object behind the opaque snn_device handle: a reference-counted owner of one Backend.
// snn_device_create hands out one reference; every tensor holds another, so a device lives
// until it has been released and its last tensor is gone.
#pragma once

#include <memory>

#include "core/refcount.h"
#include "device/backend.h"

struct snn_device final : snn::RefCounted {
  static constexpr uint32_t kMagic = 0x44766e53u;  // tags live device objects
  uint32_t magic = kMagic;
  std::unique_ptr<snn::Backend> backend;

  explicit snn_device(std::unique_ptr<snn::Backend> b) : backend(std::move(b)) {}
  ~snn_device() override { magic = 0; }
};

namespace snn {

// "CPU:0", "CUDA:1"
const char* device_kind_name(int32_t kind) noexcept;

// Opens device `ordinal` of `kind`; throws SNN_ERROR_INVALID_ARGUMENT for an unknown kind or
// negative ordinal and SNN_ERROR_DEVICE_UNAVAILABLE when the device cannot be had.
Ref<snn_device> open_device(int32_t kind, int32_t ordinal);

// Devices are the same when kind and ordinal agree (two handles opened on one GPU share its
// stream, see cuda_backend.cpp).
inline bool same_device(const snn_device& a, const snn_device& b) noexcept {
  return a.backend->kind() == b.backend->kind() && a.backend->ordinal() == b.backend->ordinal();
}

}  // namespace snn
