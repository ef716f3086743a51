// The CUDA entry points of a build without CUDA: no devices, and a message that says so.
#include "core/error.h"
#include "device/backend.h"

namespace snn {

bool cuda_is_built() noexcept { return false; }

int32_t cuda_device_count(const char** why) noexcept {
  if (why != nullptr) *why = "CUDA support was not compiled into this snn build";
  return 0;
}

std::unique_ptr<Backend> make_cuda_backend(int32_t) {
  fail(SNN_ERROR_DEVICE_UNAVAILABLE,
       "CUDA support was not compiled into this snn build (no GPU can be used); rebuild with the CUDA "
       "toolkit installed (-DSNN_CUDA=ON) or use SNN_DEVICE_CPU");
}

}  // namespace snn
