// The object behind the opaque snn_tensor handle: a contiguous row-major block of one dtype
// on one device, owning its memory or borrowing caller memory (a view, CPU only).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "core/refcount.h"
#include "device/device.h"
#include "snn/tensor.h"

struct snn_tensor {
  static constexpr uint32_t kMagic = 0x54766e53u;  // first member: see core/refcount.h
  uint32_t magic = kMagic;
  std::atomic<int64_t> refs{1};
  snn::Ref<snn_device> device;  // keeps the device (and its backend) alive
  snn_dtype dtype = SNN_DTYPE_FLOAT32;
  int32_t rank = 0;
  int64_t shape[SNN_MAX_RANK] = {0};
  int64_t numel = 1;
  size_t nbytes = 0;
  void* data = nullptr;
  bool owns_data = false;
  snn::Ref<snn_tensor> base;  // a subview keeps the tensor owning its memory alive

  snn_tensor() = default;
  ~snn_tensor();
  snn_tensor(const snn_tensor&) = delete;
  snn_tensor& operator=(const snn_tensor&) = delete;

  snn::Backend& backend() const noexcept { return *device->backend; }
};
static_assert(std::is_standard_layout_v<snn_tensor>, "handle objects must be standard-layout");

namespace snn {

// Bytes of one element, 0 for an unknown dtype.
size_t dtype_size(int32_t dtype) noexcept;
const char* dtype_name(int32_t dtype) noexcept;

// Validates rank/shape/dtype and returns the element count and byte size, throwing
// SNN_ERROR_INVALID_ARGUMENT (with what to do) when they are unusable.
struct Extent {
  int64_t numel;
  size_t nbytes;
};
Extent check_shape(int32_t dtype, int32_t rank, const int64_t* shape);

// New tensor, zero-filled unless zero_fill is false (then its elements are unspecified).
Ref<snn_tensor> make_tensor(snn_device& device, int32_t dtype, int32_t rank, const int64_t* shape, bool zero_fill = true);
// View over caller memory (CPU devices only).
Ref<snn_tensor> make_view(snn_device& device, int32_t dtype, int32_t rank, const int64_t* shape,
                          void* data, size_t capacity_bytes);

// View of `base`'s memory from element `offset` on, any device.
Ref<snn_tensor> make_subview(snn_tensor& base, int64_t offset, int32_t rank, const int64_t* shape);

// "float32 [2, 3] on CPU:0"
std::string describe(const snn_tensor& t);

// True when both tensors are on one device and their byte ranges intersect.
bool overlaps(const snn_tensor& a, const snn_tensor& b) noexcept;

}  // namespace snn
