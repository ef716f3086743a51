#include "device/device.h"

#include "core/error.h"
#include "core/format.h"

namespace snn {

const char* device_kind_name(int32_t kind) noexcept {
  switch (kind) {
    case SNN_DEVICE_CPU: return "CPU";
    case SNN_DEVICE_CUDA: return "CUDA";
    default: return "unknown";
  }
}

Ref<snn_device> open_device(int32_t kind, int32_t ordinal) {
  if (kind != SNN_DEVICE_CPU && kind != SNN_DEVICE_CUDA) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("unknown device kind ", kind, "; pass SNN_DEVICE_CPU (0) or SNN_DEVICE_CUDA (1)"));
  }
  if (ordinal < 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("ordinal must be >= 0, got ", ordinal));
  }
  if (kind == SNN_DEVICE_CPU) {
    if (ordinal != 0) {
      fail(SNN_ERROR_DEVICE_UNAVAILABLE,
           str("there is one CPU device (ordinal 0), got ordinal ", ordinal, "; pass 0"));
    }
    return Ref<snn_device>::adopt(new snn_device(make_cpu_backend()));
  }
  // make_cuda_backend reports "not compiled in", "no GPU" and "no such ordinal" itself.
  return Ref<snn_device>::adopt(new snn_device(make_cuda_backend(ordinal)));
}

}  // namespace snn
