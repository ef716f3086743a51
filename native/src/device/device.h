// The object behind the opaque snn_device handle: a reference-counted owner of one Backend.
// snn_device_create hands out one reference; every tensor holds another, so a device lives
// until it has been released and its last tensor is gone.
#pragma once

#include <atomic>
#include <memory>
#include <type_traits>

#include "core/refcount.h"
#include "device/backend.h"

struct snn_device {
  static constexpr uint32_t kMagic = 0x44766e53u;  // first member: see core/refcount.h
  uint32_t magic = kMagic;
  std::atomic<int64_t> refs{1};
  snn::Backend* backend = nullptr;  // owned

  explicit snn_device(std::unique_ptr<snn::Backend> b) noexcept : backend(b.release()) {}
  ~snn_device() {
    magic = 0;  // best effort only: the store may be elided
    delete backend;
  }
  snn_device(const snn_device&) = delete;
  snn_device& operator=(const snn_device&) = delete;
};
static_assert(std::is_standard_layout_v<snn_device>, "handle objects must be standard-layout");

namespace snn {

// "CPU", "CUDA"
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
