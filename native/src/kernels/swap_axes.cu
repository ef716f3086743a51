// The two leading axes swapped on CUDA (snn_tensor_swap_leading_axes): one thread per output
// element, so neighbouring threads write neighbouring addresses.
#include "device/cuda_operation.h"
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"

namespace snn::cuda {
namespace {

__global__ void swap_axes_kernel(SwapAxesArgs a) {
  const int64_t total = a.rows * a.cols * a.inner;
  for (int64_t e = global_index(); e < total; e += grid_stride()) {
    const int64_t k = e % a.inner, ji = e / a.inner;
    const int64_t i = ji % a.rows, j = ji / a.rows;
    a.out[e] = a.in[(i * a.cols + j) * a.inner + k];
  }
}

}  // namespace

cudaError_t swap_axes(const SwapAxesArgs& a, cudaStream_t stream) {
  const int64_t total = a.rows * a.cols * a.inner;
  if (total == 0) return cudaSuccess;
  swap_axes_kernel<<<grid_for(total), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::swap_axes_op, snn::cuda::swap_axes);
