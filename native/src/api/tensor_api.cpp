// snn_tensor_*: create, view, inspect, move data in and out, copy, fill, release.
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "api/enum_arg.h"
#include "api/validate.h"
#include "core/guard.h"
#include "kernels/args.h"
#include "snn/tensor.h"
#include "tensor/tensor.h"

using namespace snn;

namespace {

// Host buffers may be NULL only when there is nothing to transfer (an empty span in C# or
// an empty numpy array may well come with a null address).
void require_transfer(const void* buffer, const char* name, size_t nbytes, const snn_tensor& t) {
  if (nbytes != t.nbytes) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("nbytes is ", nbytes, " but ", describe(t), " holds ", t.nbytes,
                                         " bytes; transfer exactly the tensor's size"));
  }
  if (buffer == nullptr && nbytes > 0) fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is NULL; pass a valid buffer"));
}

// `value` as the bytes of one element of `dtype`.
void encode_fill_value(int32_t dtype, double value, unsigned char* out) {
  auto integral_in = [&](double lo, double hi_exclusive, const char* type) {
    if (!(std::isfinite(value) && std::trunc(value) == value && value >= lo && value < hi_exclusive)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("value ", value, " cannot be stored in ", type, " exactly; pass an integer in [", lo, ", ",
               hi_exclusive, ")"));
    }
  };
  switch (dtype) {
    case SNN_DTYPE_FLOAT32: { const float v = static_cast<float>(value); std::memcpy(out, &v, 4); break; }
    case SNN_DTYPE_FLOAT64: std::memcpy(out, &value, 8); break;
    case SNN_DTYPE_INT32: { integral_in(-2147483648.0, 2147483648.0, "int32"); const int32_t v = static_cast<int32_t>(value); std::memcpy(out, &v, 4); break; }
    case SNN_DTYPE_INT64: { integral_in(-9223372036854775808.0, 9223372036854775808.0, "int64"); const int64_t v = static_cast<int64_t>(value); std::memcpy(out, &v, 8); break; }
    case SNN_DTYPE_UINT8: { integral_in(0.0, 256.0, "uint8"); const uint8_t v = static_cast<uint8_t>(value); std::memcpy(out, &v, 1); break; }
    case SNN_DTYPE_UINT32: { integral_in(0.0, 4294967296.0, "uint32"); const uint32_t v = static_cast<uint32_t>(value); std::memcpy(out, &v, 4); break; }
    default: fail(SNN_ERROR_INTERNAL, str("tensor has unknown dtype ", dtype));
  }
}

}  // namespace

SNN_API size_t snn_dtype_size(snn_dtype dtype) {
  return guard_value("snn_dtype_size", size_t{0}, [&] { return dtype_size(api::enum_arg(dtype)); });
}

SNN_API snn_status snn_tensor_create(snn_device* device, snn_dtype dtype, int32_t rank, const int64_t* shape,
                                     snn_tensor** out_tensor) {
  return guard("snn_tensor_create", [&] {
    snn_device& d = api::require_device(device, "device");
    api::require_ptr(out_tensor, "out_tensor");
    Ref<snn_tensor> t = make_tensor(d, api::enum_arg(dtype), rank, shape);
    *out_tensor = t.detach();
  });
}

SNN_API snn_status snn_tensor_create_uninitialized(snn_device* device, snn_dtype dtype, int32_t rank,
                                                   const int64_t* shape, snn_tensor** out_tensor) {
  return guard("snn_tensor_create_uninitialized", [&] {
    snn_device& d = api::require_device(device, "device");
    api::require_ptr(out_tensor, "out_tensor");
    Ref<snn_tensor> t = make_tensor(d, api::enum_arg(dtype), rank, shape, /*zero_fill=*/false);
    *out_tensor = t.detach();
  });
}

SNN_API snn_status snn_tensor_create_view(snn_device* device, snn_dtype dtype, int32_t rank, const int64_t* shape,
                                          void* data, size_t capacity_bytes, snn_tensor** out_tensor) {
  return guard("snn_tensor_create_view", [&] {
    snn_device& d = api::require_device(device, "device");
    api::require_ptr(out_tensor, "out_tensor");
    Ref<snn_tensor> t = make_view(d, api::enum_arg(dtype), rank, shape, data, capacity_bytes);
    *out_tensor = t.detach();
  });
}

SNN_API snn_status snn_tensor_create_subview(snn_tensor* base, int64_t offset, int32_t rank, const int64_t* shape,
                                             snn_tensor** out_tensor) {
  return guard("snn_tensor_create_subview", [&] {
    snn_tensor& b = api::require_tensor(base, "base");
    api::require_ptr(out_tensor, "out_tensor");
    Ref<snn_tensor> t = make_subview(b, offset, rank, shape);
    *out_tensor = t.detach();
  });
}

SNN_API void snn_tensor_release(snn_tensor* tensor) {
  guard_void("snn_tensor_release", [&] {
    if (tensor != nullptr && handle_magic(tensor) == snn_tensor::kMagic) snn::release(tensor);
  });
}

SNN_API snn_status snn_tensor_get_info(const snn_tensor* tensor, snn_tensor_info* out_info) {
  return guard("snn_tensor_get_info", [&] {
    const snn_tensor& t = api::require_tensor(tensor, "tensor");
    api::require_ptr(out_info, "out_info");
    snn_tensor_info info{};
    info.dtype = t.dtype;
    info.rank = t.rank;
    for (int32_t i = 0; i < t.rank; ++i) info.shape[i] = t.shape[i];
    info.numel = t.numel;
    info.nbytes = static_cast<int64_t>(t.nbytes);
    info.device_kind = t.backend().kind();
    info.device_ordinal = t.backend().ordinal();
    *out_info = info;
  });
}

SNN_API snn_status snn_tensor_host_data(snn_tensor* tensor, void** out_data) {
  return guard("snn_tensor_host_data", [&] {
    snn_tensor& t = api::require_tensor(tensor, "tensor");
    api::require_ptr(out_data, "out_data");
    if (!t.backend().host_addressable()) {
      fail(SNN_ERROR_UNSUPPORTED, str("tensor is ", describe(t), ", not host memory; use snn_tensor_download"));
    }
    *out_data = t.data;
  });
}

SNN_API snn_status snn_tensor_upload(snn_tensor* tensor, const void* source, size_t nbytes) {
  return guard("snn_tensor_upload", [&] {
    snn_tensor& t = api::require_tensor(tensor, "tensor");
    require_transfer(source, "source", nbytes, t);
    if (nbytes == 0) return;
    std::lock_guard<std::mutex> lock(t.backend().mutex());
    t.backend().copy_from_host(t.data, source, nbytes);
  });
}

SNN_API snn_status snn_tensor_download(const snn_tensor* tensor, void* destination, size_t nbytes) {
  return guard("snn_tensor_download", [&] {
    const snn_tensor& t = api::require_tensor(tensor, "tensor");
    require_transfer(destination, "destination", nbytes, t);
    if (nbytes == 0) return;
    std::lock_guard<std::mutex> lock(t.backend().mutex());
    t.backend().copy_to_host(destination, t.data, nbytes);
  });
}

SNN_API snn_status snn_tensor_copy(snn_tensor* destination, const snn_tensor* source) {
  return guard("snn_tensor_copy", [&] {
    snn_tensor& dst = api::require_tensor(destination, "destination");
    const snn_tensor& src = api::require_tensor(source, "source");
    if (dst.dtype != src.dtype || dst.numel != src.numel) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("destination is ", describe(dst), " but source is ", describe(src),
                                           "; both need the same dtype and element count"));
    }
    if (dst.nbytes == 0 || (same_device(*dst.device, *src.device) && dst.data == src.data)) return;
    if (same_device(*dst.device, *src.device)) {
      std::lock_guard<std::mutex> lock(dst.backend().mutex());
      dst.backend().copy_within(dst.data, src.data, dst.nbytes);
    } else if (src.backend().host_addressable()) {
      std::lock_guard<std::mutex> lock(dst.backend().mutex());
      dst.backend().copy_from_host(dst.data, src.data, dst.nbytes);
    } else if (dst.backend().host_addressable()) {
      std::lock_guard<std::mutex> lock(src.backend().mutex());
      src.backend().copy_to_host(dst.data, src.data, dst.nbytes);
    } else {  // two different GPUs: stage through host memory
      std::vector<unsigned char> staging(dst.nbytes);
      {
        std::lock_guard<std::mutex> lock(src.backend().mutex());
        src.backend().copy_to_host(staging.data(), src.data, dst.nbytes);
      }
      std::lock_guard<std::mutex> lock(dst.backend().mutex());
      dst.backend().copy_from_host(dst.data, staging.data(), dst.nbytes);
    }
  });
}

SNN_API snn_status snn_tensor_fill(snn_tensor* tensor, double value) {
  return guard("snn_tensor_fill", [&] {
    snn_tensor& t = api::require_tensor(tensor, "tensor");
    unsigned char pattern[8] = {0};
    encode_fill_value(t.dtype, value, pattern);
    if (t.nbytes == 0) return;
    std::lock_guard<std::mutex> lock(t.backend().mutex());
    t.backend().fill(t.data, static_cast<size_t>(t.numel), dtype_size(t.dtype), pattern);
  });
}

SNN_API snn_status snn_tensor_add(snn_tensor* accumulator, const snn_tensor* addend) {
  return guard("snn_tensor_add", [&] {
    snn_tensor& acc = api::require_tensor(accumulator, "accumulator");
    const snn_tensor& x = api::require_tensor(addend, "addend");
    api::require_dtype(acc, SNN_DTYPE_FLOAT32, "accumulator");
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "addend");
    bool same = acc.rank == x.rank;
    for (int32_t i = 0; same && i < acc.rank; ++i) same = acc.shape[i] == x.shape[i];
    if (!same) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("addend ", describe(x), " must have the shape of accumulator ", describe(acc),
                                           "; add tensors of one shape"));
    }
    api::require_same_device(acc, "accumulator", x, "addend");
    api::require_disjoint(acc, "accumulator", x, "addend");
    if (acc.numel == 0) return;
    std::lock_guard<std::mutex> lock(acc.backend().mutex());
    acc.backend().add(static_cast<float*>(acc.data), static_cast<const float*>(x.data), acc.numel);
  });
}

SNN_API snn_status snn_tensor_swap_leading_axes(const snn_tensor* input, snn_tensor* output) {
  return guard("snn_tensor_swap_leading_axes", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    snn_tensor& out = api::require_tensor(output, "output");
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "output");
    if (x.rank < 2) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input ", describe(x), " must have at least two axes to swap"));
    }
    bool swapped = out.rank == x.rank && out.shape[0] == x.shape[1] && out.shape[1] == x.shape[0];
    for (int32_t i = 2; swapped && i < x.rank; ++i) swapped = out.shape[i] == x.shape[i];
    if (!swapped) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("output ", describe(out), " must have input ", describe(x),
                                           "'s shape with its first two dimensions exchanged"));
    }
    api::require_same_device(x, "input", out, "output");
    api::require_disjoint(out, "output", x, "input");
    if (x.numel == 0) return;
    SwapAxesArgs a{static_cast<const float*>(x.data), static_cast<float*>(out.data), x.shape[0], x.shape[1],
                   x.numel / (x.shape[0] * x.shape[1])};
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    run(out.backend(), swap_axes_op, a);
  });
}
