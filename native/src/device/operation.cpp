#include "device/operation.h"

#include <string>

#include "core/error.h"
#include "core/format.h"

namespace snn {

Kernel OperationBase::require_kernel(int32_t kind) const {
  if (Kernel k = kernel(kind)) return k;
  static const char* const kNames[kDeviceKindCount] = {"CPU", "CUDA"};
  std::string available;
  for (int32_t k = 0; k < kDeviceKindCount; ++k) {
    if (kernels_[k] == nullptr) continue;
    available += available.empty() ? kNames[k] : str(" or ", kNames[k]);
  }
  const std::string device = kind >= 0 && kind < kDeviceKindCount ? kNames[kind] : str("kind ", kind);
  if (available.empty()) {
    fail(SNN_ERROR_UNSUPPORTED, str(name_, " has no kernel in this build (asked for ", device, ")"));
  }
  fail(SNN_ERROR_UNSUPPORTED, str(name_, " has no ", device, " kernel in this build; run it on a ", available,
                                  " device (open one with snn_device_create)"));
}

}  // namespace snn
