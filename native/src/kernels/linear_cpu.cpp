// Projection on the CPU: output = input @ weight^T + bias over all leading rows.
// Sparse inputs (spikes) take linear_sparse_cpu.cpp's path, chosen by choose_linear_path;
// everything else is one OpenBLAS sgemm: the bias is broadcast into the output first and the
// GEMM then accumulates onto it (beta = 1), so no second pass over the output is needed.
#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "kernels/cpu_kernels.h"
#include "kernels/linear_sparse_cpu.h"

namespace snn::cpu {
namespace {
// OpenBLAS's thread count is process-wide (and shared with e.g. numpy in the same process):
// it is set on every call, under a lock, so devices with different counts take turns.
std::mutex g_blas_mutex;
}  // namespace

void linear(const LinearArgs& a, int threads) {
  const int64_t m = a.rows, n = a.outputs, k = a.inputs;
  if (m == 0 || n == 0) return;
  if (k > 0 && !a.weight_input_major && choose_linear_path(a) == LinearPath::kSparse && linear_sparse(a, threads)) {
    return;
  }
  if (a.bias != nullptr) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && m * n > (int64_t{1} << 16))
    for (int64_t r = 0; r < m; ++r) std::memcpy(a.output + r * n, a.bias, static_cast<size_t>(n) * sizeof(float));
  }
  if (k == 0) {  // an empty sum: the output is the bias, or zero
    if (a.bias == nullptr) std::memset(a.output, 0, static_cast<size_t>(m * n) * sizeof(float));
    return;
  }
  std::lock_guard<std::mutex> lock(g_blas_mutex);
  openblas_set_num_threads(threads);
  // Row-major C[M,N] = A[M,K] * W[N,K]^T (or * W[K,N]); the API layer checked that M, N, K fit blasint.
  cblas_sgemm(CblasRowMajor, CblasNoTrans, a.weight_input_major ? CblasNoTrans : CblasTrans, static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a.input, static_cast<blasint>(k), a.weight,
              static_cast<blasint>(a.weight_input_major ? n : k), a.bias != nullptr ? 1.0f : 0.0f, a.output,
              static_cast<blasint>(n));
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::linear_op, snn::cpu::linear);
