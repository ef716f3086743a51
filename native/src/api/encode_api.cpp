// snn_poisson_encode: validate shapes and intensities, then run the backend's kernel.
#include <mutex>

#include "api/validate.h"
#include "core/guard.h"
#include "kernels/args.h"
#include "snn/encode.h"

using namespace snn;

SNN_API snn_status snn_poisson_encode(const snn_tensor* intensities, uint64_t seed, uint64_t offset,
                                      snn_tensor* spikes) {
  return guard("snn_poisson_encode", [&] {
    const snn_tensor& p = api::require_tensor(intensities, "intensities");
    snn_tensor& s = api::require_tensor(spikes, "spikes");
    api::require_dtype(p, SNN_DTYPE_FLOAT32, "intensities");
    api::require_dtype(s, SNN_DTYPE_FLOAT32, "spikes");
    api::require_rank(p, 2, "intensities", "[B, N]");
    api::require_rank(s, 3, "spikes", "[T, B, N]");
    if (s.shape[1] != p.shape[0] || s.shape[2] != p.shape[1]) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("spikes ", shape_string(3, s.shape), " does not match intensities ", shape_string(2, p.shape),
               "; spikes must be [T, ", p.shape[0], ", ", p.shape[1], "]"));
    }
    if (s.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("spikes ", shape_string(3, s.shape), " has T = 0 time steps; pass T >= 1"));
    }
    api::require_same_device(p, "intensities", s, "spikes");
    api::require_disjoint(p, "intensities", s, "spikes");
    if (s.numel == 0) return;

    std::lock_guard<std::mutex> lock(s.backend().mutex());
    float bad = 0.0f;
    const int64_t i = s.backend().find_outside_range(static_cast<const float*>(p.data), p.numel, 0.0f, 1.0f, &bad);
    if (i >= 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("intensities[", i / p.shape[1], ", ", i % p.shape[1], "] is ", bad,
               " but intensities are spike probabilities and must lie in [0, 1] (NaN is rejected); "
               "clamp or normalise the input"));
    }
    PoissonArgs args{};
    args.intensities = static_cast<const float*>(p.data);
    args.spikes = static_cast<float*>(s.data);
    args.steps = s.shape[0];
    args.neurons = p.numel;
    args.seed = seed;
    args.offset = offset;
    run(s.backend(), poisson_op, args);
  });
}
