#include "tensor/tensor.h"

#include <limits>

#include "core/error.h"
#include "core/format.h"

snn_tensor::~snn_tensor() {
  magic = 0;  // best effort only: the store may be elided
  if (owns_data) device->backend->deallocate(data);
}

namespace snn {

size_t dtype_size(int32_t dtype) noexcept {
  switch (dtype) {
    case SNN_DTYPE_FLOAT32: return 4;
    case SNN_DTYPE_FLOAT64: return 8;
    case SNN_DTYPE_INT32: return 4;
    case SNN_DTYPE_INT64: return 8;
    case SNN_DTYPE_UINT8: return 1;
    case SNN_DTYPE_UINT32: return 4;
    default: return 0;
  }
}

const char* dtype_name(int32_t dtype) noexcept {
  switch (dtype) {
    case SNN_DTYPE_FLOAT32: return "float32";
    case SNN_DTYPE_FLOAT64: return "float64";
    case SNN_DTYPE_INT32: return "int32";
    case SNN_DTYPE_INT64: return "int64";
    case SNN_DTYPE_UINT8: return "uint8";
    case SNN_DTYPE_UINT32: return "uint32";
    default: return "unknown";
  }
}

Extent check_shape(int32_t dtype, int32_t rank, const int64_t* shape) {
  const size_t elem = dtype_size(dtype);
  if (elem == 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("unknown dtype ", dtype, "; pass one of the snn_dtype values (SNN_DTYPE_FLOAT32 = 0 .. SNN_DTYPE_UINT32 = 5)"));
  }
  if (rank < 0 || rank > SNN_MAX_RANK) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("rank must be in [0, ", SNN_MAX_RANK, "], got ", rank));
  }
  if (rank > 0 && shape == nullptr) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("shape is NULL but rank is ", rank, "; pass ", rank, " extents"));
  }
  // Element counts must fit int64 and byte counts must fit size_t (and int64 for the info).
  const int64_t max_bytes = std::numeric_limits<int64_t>::max();
  int64_t numel = 1;
  for (int32_t i = 0; i < rank; ++i) {
    if (shape[i] < 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("shape ", shape_string(rank, shape), " has a negative extent at dimension ", i, "; extents must be >= 0"));
    }
  }
  bool empty = false;
  for (int32_t i = 0; i < rank; ++i) empty = empty || shape[i] == 0;
  if (empty) return Extent{0, 0};
  for (int32_t i = 0; i < rank; ++i) {
    if (numel > max_bytes / static_cast<int64_t>(elem) / shape[i]) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("shape ", shape_string(rank, shape), " of ", dtype_name(dtype), " is too large to address; use smaller extents"));
    }
    numel *= shape[i];
  }
  return Extent{numel, static_cast<size_t>(numel) * elem};
}

namespace {
Ref<snn_tensor> new_tensor(snn_device& device, int32_t dtype, int32_t rank, const int64_t* shape,
                           const Extent& extent) {
  Ref<snn_tensor> t = Ref<snn_tensor>::adopt(new snn_tensor());
  t->device = Ref<snn_device>::share(&device);
  t->dtype = static_cast<snn_dtype>(dtype);
  t->rank = rank;
  for (int32_t i = 0; i < rank; ++i) t->shape[i] = shape[i];
  t->numel = extent.numel;
  t->nbytes = extent.nbytes;
  return t;
}
}  // namespace

Ref<snn_tensor> make_tensor(snn_device& device, int32_t dtype, int32_t rank, const int64_t* shape, bool zero_fill) {
  const Extent extent = check_shape(dtype, rank, shape);
  Ref<snn_tensor> t = new_tensor(device, dtype, rank, shape, extent);
  std::lock_guard<std::mutex> lock(device.backend->mutex());
  t->data = zero_fill ? device.backend->allocate(extent.nbytes) : device.backend->allocate_uninitialized(extent.nbytes);
  t->owns_data = true;
  return t;
}

Ref<snn_tensor> make_view(snn_device& device, int32_t dtype, int32_t rank, const int64_t* shape,
                          void* data, size_t capacity_bytes) {
  const Extent extent = check_shape(dtype, rank, shape);
  if (!device.backend->host_addressable()) {
    fail(SNN_ERROR_UNSUPPORTED,
         str("views over host memory exist on CPU devices only, this device is ",
             device_kind_name(device.backend->kind()), ":", device.backend->ordinal(),
             "; create a tensor with snn_tensor_create and snn_tensor_upload the data"));
  }
  if (data == nullptr && extent.nbytes > 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT, "data is NULL; pass the address of the caller-owned elements");
  }
  if (capacity_bytes < extent.nbytes) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("view too small: shape ", shape_string(rank, shape), " of ", dtype_name(dtype), " needs ",
             extent.nbytes, " bytes but capacity_bytes is ", capacity_bytes, "; pass a larger buffer or a smaller shape"));
  }
  const size_t elem = dtype_size(dtype);
  if (reinterpret_cast<uintptr_t>(data) % elem != 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("data is not aligned to the ", elem, "-byte element size of ", dtype_name(dtype), "; pass an aligned buffer"));
  }
  Ref<snn_tensor> t = new_tensor(device, dtype, rank, shape, extent);
  t->data = data;
  t->owns_data = false;
  return t;
}

Ref<snn_tensor> make_subview(snn_tensor& base, int64_t offset, int32_t rank, const int64_t* shape) {
  const Extent extent = check_shape(base.dtype, rank, shape);
  if (offset < 0 || offset > base.numel || extent.numel > base.numel - offset) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("a view of shape ", shape_string(rank, shape), " from element ", offset, " does not fit in ", describe(base),
             " (", base.numel, " elements); pass an offset in [0, ", base.numel, "] and a shape with at most ",
             base.numel, " - offset elements"));
  }
  Ref<snn_tensor> t = new_tensor(*base.device, base.dtype, rank, shape, extent);
  t->data = static_cast<unsigned char*>(base.data) + static_cast<size_t>(offset) * dtype_size(base.dtype);
  t->owns_data = false;
  // Chain to the owner, not to another view, so long chains of views stay one link deep.
  t->base = base.base.get() != nullptr ? base.base : Ref<snn_tensor>::share(&base);
  return t;
}

std::string describe(const snn_tensor& t) {
  return str(dtype_name(t.dtype), " ", shape_string(t.rank, t.shape), " on ",
             device_kind_name(t.backend().kind()), ":", t.backend().ordinal());
}

bool overlaps(const snn_tensor& a, const snn_tensor& b) noexcept {
  if (!same_device(*a.device, *b.device) || a.nbytes == 0 || b.nbytes == 0) return false;
  const auto a0 = reinterpret_cast<uintptr_t>(a.data), b0 = reinterpret_cast<uintptr_t>(b.data);
  return a0 < b0 + b.nbytes && b0 < a0 + a.nbytes;
}

}  // namespace snn
