// snn_linear_forward on CUDA: cuBLAS sgemm on the device's stream and handle (host code).
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "device/cublas_loader.h"
#include "device/cuda_operation.h"
#include "kernels/args.h"
#include "kernels/cuda_kernels.h"

namespace snn::cuda {
namespace {

// Row-major C[M,N] = A[M,K] W[N,K]^T is, read column-major, C^T = W A^T: cuBLAS computes it
// with op(W) = T and op(A) = N, leading dimensions K, K and N. With W laid out [K, N] (input
// major), W read column-major is already W^T: op(W) = N, leading dimension N.
int32_t linear(const void* args, const Launch& launch) {
  const LinearArgs& a = *static_cast<const LinearArgs*>(args);
  const auto stream = static_cast<cudaStream_t>(launch.stream);
  const int64_t m = a.rows, n = a.outputs, k = a.inputs;
  if (m == 0 || n == 0) return cudaSuccess;
  if (a.bias != nullptr) {
    const cudaError_t e = broadcast_rows(a.output, a.bias, m, n, stream);
    if (e != cudaSuccess) return e;
  }
  if (k == 0) {
    return a.bias != nullptr ? cudaSuccess
                             : cudaMemsetAsync(a.output, 0, static_cast<size_t>(m * n) * sizeof(float), stream);
  }
  const float alpha = 1.0f, beta = a.bias != nullptr ? 1.0f : 0.0f;
  check_blas(cublas().sgemm(static_cast<cublasHandle_t>(launch.blas), a.weight_input_major ? CUBLAS_OP_N : CUBLAS_OP_T,
                            CUBLAS_OP_N, static_cast<int>(n), static_cast<int>(m), static_cast<int>(k), &alpha,
                            a.weight, static_cast<int>(a.weight_input_major ? n : k), a.input, static_cast<int>(k),
                            &beta, a.output, static_cast<int>(n)),
             "cublasSgemm");
  return cudaSuccess;
}

}  // namespace
}  // namespace snn::cuda

SNN_REGISTER_CUDA_LAUNCH(snn::linear_op, &snn::cuda::linear);
