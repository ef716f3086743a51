// snn_philox4x32_10 and snn_random_uniform.
#include <mutex>

#include "api/validate.h"
#include "core/guard.h"
#include "kernels/args.h"
#include "random/philox.h"
#include "snn/random.h"

using namespace snn;

SNN_API snn_status snn_philox4x32_10(const uint32_t* counter, const uint32_t* key, uint32_t* out) {
  return guard("snn_philox4x32_10", [&] {
    api::require_ptr(counter, "counter");
    api::require_ptr(key, "key");
    api::require_ptr(out, "out");
    const philox::Block b = philox::philox4x32_10(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
    for (int i = 0; i < 4; ++i) out[i] = b.v[i];
  });
}

SNN_API snn_status snn_random_uniform(snn_tensor* output, uint64_t seed, uint64_t offset) {
  return guard("snn_random_uniform", [&] {
    snn_tensor& out = api::require_tensor(output, "output");
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "output");
    if (out.numel == 0) return;
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    run(out.backend(), uniform_op, UniformArgs{static_cast<float*>(out.data), out.numel, seed, offset});
  });
}
