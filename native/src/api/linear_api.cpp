// snn_linear_forward: output = input @ weight^T + bias over all leading rows. The backend picks
// the algorithm: one GEMM, or on the CPU the sparse-input path for spike-like inputs
// (kernels/linear_sparse_cpu.cpp; the rule is in kernels/linear_sparse_cpu.h).
#include <limits>
#include <mutex>

#include "api/validate.h"
#include "core/guard.h"
#include "kernels/args.h"
#include "snn/linear.h"

using namespace snn;

SNN_API snn_status snn_linear_forward(const snn_tensor* input, const snn_tensor* weight, const snn_tensor* bias,
                                      snn_tensor* output) {
  return guard("snn_linear_forward", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    const snn_tensor& w = api::require_tensor(weight, "weight");
    snn_tensor& y = api::require_tensor(output, "output");
    const snn_tensor* b = bias != nullptr ? &api::require_tensor(bias, "bias") : nullptr;

    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_dtype(w, SNN_DTYPE_FLOAT32, "weight");
    api::require_dtype(y, SNN_DTYPE_FLOAT32, "output");
    if (b) api::require_dtype(*b, SNN_DTYPE_FLOAT32, "bias");
    if (x.rank < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input must have rank >= 1 [..., n_in], got ", describe(x),
                                           "; pass at least a vector"));
    }
    api::require_rank(w, 2, "weight", "[n_out, n_in]");
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    if (x.shape[x.rank - 1] != n_in) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("input ", shape_string(x.rank, x.shape), " ends in ", x.shape[x.rank - 1], " features but weight ",
               shape_string(2, w.shape), " expects n_in = ", n_in, "; weight must be [n_out, n_in]"));
    }
    if (b) {
      api::require_rank(*b, 1, "bias", "[n_out]");
      if (b->shape[0] != n_out) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("bias has ", b->shape[0], " elements but weight ", shape_string(2, w.shape),
                                             " has n_out = ", n_out, "; pass a bias of shape [", n_out, "] or NULL"));
      }
    }
    bool shape_ok = y.rank == x.rank && y.shape[y.rank - 1] == n_out;
    for (int32_t i = 0; shape_ok && i + 1 < x.rank; ++i) shape_ok = y.shape[i] == x.shape[i];
    if (!shape_ok) {
      int64_t expected[SNN_MAX_RANK];
      for (int32_t i = 0; i < x.rank; ++i) expected[i] = x.shape[i];
      expected[x.rank - 1] = n_out;
      fail(SNN_ERROR_INVALID_ARGUMENT, str("output must be ", shape_string(x.rank, expected), " for input ",
                                           shape_string(x.rank, x.shape), " and weight ", shape_string(2, w.shape),
                                           ", got ", shape_string(y.rank, y.shape)));
    }
    api::require_same_device(y, "output", x, "input");
    api::require_same_device(y, "output", w, "weight");
    if (b) api::require_same_device(y, "output", *b, "bias");
    api::require_disjoint(y, "output", x, "input");
    api::require_disjoint(y, "output", w, "weight");
    if (b) api::require_disjoint(y, "output", *b, "bias");

    if (y.numel == 0) return;  // no rows or no outputs: nothing to compute
    const int64_t rows = y.numel / n_out;
    constexpr int64_t kBlasMax = std::numeric_limits<int32_t>::max();
    if (rows > kBlasMax || n_out > kBlasMax || n_in > kBlasMax) {
      fail(SNN_ERROR_UNSUPPORTED, str("the GEMM would be ", rows, " x ", n_out, " x ", n_in,
                                      " but BLAS dimensions are limited to 2^31 - 1; split the batch"));
    }

    LinearArgs args{};
    args.input = static_cast<const float*>(x.data);
    args.weight = static_cast<const float*>(w.data);
    args.bias = b ? static_cast<const float*>(b->data) : nullptr;
    args.output = static_cast<float*>(y.data);
    args.rows = rows;
    args.outputs = n_out;
    args.inputs = n_in;
    std::lock_guard<std::mutex> lock(y.backend().mutex());
    run(y.backend(), linear_op, args);
  });
}
