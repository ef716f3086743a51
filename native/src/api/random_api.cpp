// snn_philox4x32_10, snn_random_uniform and snn_random_fill.
#include <cmath>
#include <mutex>
#include <vector>

#include "api/validate.h"
#include "core/format.h"
#include "core/guard.h"
#include "kernels/args.h"
#include "kernels/cpu_kernels.h"
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

SNN_API snn_status snn_random_fill(snn_tensor* output, const snn_distribution* distribution, uint64_t seed,
                                   uint64_t offset) {
  return guard("snn_random_fill", [&] {
    snn_tensor& out = api::require_tensor(output, "output");
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "output");
    api::require_ptr(distribution, "distribution");
    const snn_distribution d = *distribution;
    if (d.kind < SNN_DISTRIBUTION_CONSTANT || d.kind > SNN_DISTRIBUTION_TRUNCATED_NORMAL) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("distribution->kind ", d.kind, " is unknown; pass SNN_DISTRIBUTION_CONSTANT (0), "
                                           "_UNIFORM (1), _NORMAL (2) or _TRUNCATED_NORMAL (3)"));
    }
    const bool uses_b = d.kind != SNN_DISTRIBUTION_CONSTANT;
    if (!std::isfinite(d.a) || (uses_b && !std::isfinite(d.b))) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("distribution->a (", d.a, ") and ->b (", d.b, ") must be finite"));
    }
    if (d.kind == SNN_DISTRIBUTION_UNIFORM && !(d.a <= d.b)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("uniform bounds a = ", d.a, " > b = ", d.b, "; pass a <= b"));
    }
    if ((d.kind == SNN_DISTRIBUTION_NORMAL || d.kind == SNN_DISTRIBUTION_TRUNCATED_NORMAL) && !(d.b >= 0.0)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("standard deviation b = ", d.b, " must be >= 0"));
    }
    if (d.kind == SNN_DISTRIBUTION_TRUNCATED_NORMAL && !(std::isfinite(d.bound) && d.bound > 0.0)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("truncated normal bound ", d.bound,
                                           " must be finite and > 0 (standard deviations, e.g. 2)"));
    }
    if (d.normalize != 0 && d.normalize != 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("distribution->normalize ", d.normalize, " must be 0 or 1"));
    }
    if (!std::isfinite(d.normalize_to) || !std::isfinite(d.shift_by_max)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("distribution->normalize_to (", d.normalize_to, ") and ->shift_by_max (",
                                           d.shift_by_max, ") must be finite"));
    }
    if (out.numel == 0) return;
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    RandomFillArgs args{static_cast<float*>(out.data), out.numel, static_cast<Distribution>(d.kind), d.a, d.b,
                        d.bound, seed, offset};
    const bool rescale = d.normalize != 0 || d.shift_by_max != 0.0;
    if (out.backend().host_addressable() && !rescale) {
      run(out.backend(), random_fill_op, args);
      return;
    }
    // Other devices get the host's values, so every device holds the same ones; a rescaled draw is
    // finished on the host first, so a failure leaves the output untouched.
    std::vector<float> host(static_cast<size_t>(out.numel));
    args.out = host.data();
    Launch launch;
    (void)random_fill_op.require_kernel(SNN_DEVICE_CPU)(&args, launch);
    if (rescale && !cpu::rescale_draws(host.data(), out.numel, d.normalize != 0, d.normalize_to, d.shift_by_max)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, "the draws sum to 0 and cannot be normalised; pick a distribution whose draws "
                                       "do not cancel (e.g. uniform bounds with a + b > 0)");
    }
    out.backend().copy_from_host(out.data, host.data(), host.size() * sizeof(float));
  });
}
