#include "api/validate.h"

namespace snn::api {

snn_device& require_device(const snn_device* device, const char* name) {
  if (device == nullptr) fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is NULL; pass a device from snn_device_create"));
  if (handle_magic(device) != snn_device::kMagic) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is not a live snn_device handle; pass a device from snn_device_create"));
  }
  return const_cast<snn_device&>(*device);
}

snn_tensor& require_tensor(const snn_tensor* tensor, const char* name) {
  if (tensor == nullptr) fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is NULL; pass a tensor from snn_tensor_create"));
  if (handle_magic(tensor) != snn_tensor::kMagic) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is not a live snn_tensor handle; pass a tensor from snn_tensor_create"));
  }
  return const_cast<snn_tensor&>(*tensor);
}

void require_dtype(const snn_tensor& t, snn_dtype dtype, const char* name) {
  if (t.dtype != dtype) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name, " must be ", dtype_name(dtype), ", got ", describe(t), "; convert it to ", dtype_name(dtype)));
  }
}

void require_rank(const snn_tensor& t, int32_t rank, const char* name, const char* layout) {
  if (t.rank != rank) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name, " must have rank ", rank, " ", layout, ", got ", describe(t), "; reshape it to ", layout));
  }
}

void require_same_device(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b) {
  if (!same_device(*a.device, *b.device)) {
    fail(SNN_ERROR_DEVICE_MISMATCH,
         str(name_a, " is on ", device_kind_name(a.backend().kind()), ":", a.backend().ordinal(), " but ", name_b,
             " is on ", device_kind_name(b.backend().kind()), ":", b.backend().ordinal(),
             "; copy them to one device with snn_tensor_copy"));
  }
}

void require_disjoint(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b) {
  if (overlaps(a, b)) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name_a, " and ", name_b, " share memory; pass separate tensors"));
  }
}

void require_same_shape(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b) {
  bool same = a.rank == b.rank;
  for (int32_t i = 0; same && i < a.rank; ++i) same = a.shape[i] == b.shape[i];
  if (!same) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name_b, " must have the shape of ", name_a, " ", shape_string(a.rank, a.shape), ", got ",
             shape_string(b.rank, b.shape), "; pass a tensor of shape ", shape_string(a.rank, a.shape)));
  }
}

}  // namespace snn::api
