// snn_device_*: open, inspect, configure and release devices.
#include <mutex>

#include "api/enum_arg.h"
#include "api/validate.h"
#include "core/guard.h"
#include "device/device.h"
#include "snn/device.h"

using namespace snn;

SNN_API int32_t snn_device_kind_is_built(snn_device_kind kind) {
  return guard_value("snn_device_kind_is_built", int32_t{0}, [&]() -> int32_t {
    switch (api::enum_arg(kind)) {
      case SNN_DEVICE_CPU: return 1;
      case SNN_DEVICE_CUDA: return cuda_is_built() ? 1 : 0;
      default: return 0;
    }
  });
}

SNN_API snn_status snn_device_count(snn_device_kind kind, int32_t* out_count) {
  return guard("snn_device_count", [&] {
    api::require_ptr(out_count, "out_count");
    const int32_t k = api::enum_arg(kind);
    if (k != SNN_DEVICE_CPU && k != SNN_DEVICE_CUDA) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("unknown device kind ", k, "; pass SNN_DEVICE_CPU (0) or SNN_DEVICE_CUDA (1)"));
    }
    *out_count = k == SNN_DEVICE_CPU ? 1 : cuda_device_count(nullptr);
  });
}

SNN_API snn_status snn_device_create(snn_device_kind kind, int32_t ordinal, snn_device** out_device) {
  return guard("snn_device_create", [&] {
    api::require_ptr(out_device, "out_device");
    Ref<snn_device> device = open_device(api::enum_arg(kind), ordinal);
    *out_device = device.detach();
  });
}

SNN_API void snn_device_release(snn_device* device) {
  guard_void("snn_device_release", [&] {
    if (device != nullptr && handle_magic(device) == snn_device::kMagic) snn::release(device);
  });
}

SNN_API snn_status snn_device_get_info(const snn_device* device, snn_device_info* out_info) {
  return guard("snn_device_get_info", [&] {
    snn_device& d = api::require_device(device, "device");
    api::require_ptr(out_info, "out_info");
    snn_device_info info{};
    d.backend->get_info(info);
    *out_info = info;
  });
}

SNN_API snn_status snn_device_set_num_threads(snn_device* device, int32_t num_threads) {
  return guard("snn_device_set_num_threads", [&] {
    snn_device& d = api::require_device(device, "device");
    constexpr int32_t kMaxThreads = 1024;
    if (num_threads < 0 || num_threads > kMaxThreads) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("num_threads must be in [0, ", kMaxThreads, "], got ", num_threads,
                                           "; pass 0 for one thread per available core"));
    }
    d.backend->set_num_threads(num_threads);
  });
}

SNN_API snn_status snn_device_synchronize(snn_device* device) {
  return guard("snn_device_synchronize", [&] {
    snn_device& d = api::require_device(device, "device");
    std::lock_guard<std::mutex> lock(d.backend->mutex());
    d.backend->synchronize();
  });
}

SNN_API snn_status snn_device_release_cached_memory(snn_device* device, int64_t* out_bytes) {
  return guard("snn_device_release_cached_memory", [&] {
    snn_device& d = api::require_device(device, "device");
    const size_t freed = d.backend->release_cached_memory();
    if (out_bytes != nullptr) *out_bytes = static_cast<int64_t>(freed);
  });
}
