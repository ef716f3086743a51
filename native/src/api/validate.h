// Argument checks shared by the C entry points. Each throws snn::Error with a message that
// names the argument, says what was wrong and what to pass instead; the guard prefixes the
// name of the exported function.
#pragma once

#include <cstdint>

#include "core/error.h"
#include "core/format.h"
#include "device/device.h"
#include "tensor/tensor.h"

namespace snn::api {

// A non-null pointer argument (outputs and host buffers).
template <class T>
T* require_ptr(T* p, const char* name) {
  if (p == nullptr) fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " is NULL; pass a valid pointer"));
  return p;
}

snn_device& require_device(const snn_device* device, const char* name);
snn_tensor& require_tensor(const snn_tensor* tensor, const char* name);

void require_dtype(const snn_tensor& t, snn_dtype dtype, const char* name);
// `layout` describes the expected axes, e.g. "[T, B, N]".
void require_rank(const snn_tensor& t, int32_t rank, const char* name, const char* layout);
void require_same_device(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b);
void require_disjoint(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b);
void require_same_shape(const snn_tensor& a, const char* name_a, const snn_tensor& b, const char* name_b);

// The float32 elements of an optional (already validated) tensor, or nullptr when it was not given.
inline float* float_data(snn_tensor* t) { return t != nullptr ? static_cast<float*>(t->data) : nullptr; }
inline const float* float_data(const snn_tensor* t) {
  return t != nullptr ? static_cast<const float*>(t->data) : nullptr;
}

}  // namespace snn::api
