// Connection kernels on CUDA: one thread per output element with grid-stride loops, running
// the same per-element code as the CPU (connection_args.h). The convolution is direct (no
// im2col, no cuBLAS): simple and exact, not tuned.
#include "connections/connection_kernels.h"
#include "kernels/launch.cuh"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

__global__ void conv2d_kernel(Conv2dArgs a, int64_t total) {
  for (int64_t o = global_index(); o < total; o += grid_stride()) a.output[o] = conn::conv2d_element(a, o);
}

__global__ void pool2d_kernel(Pool2dArgs a, int64_t total) {
  for (int64_t o = global_index(); o < total; o += grid_stride()) conn::pool2d_element(a, o);
}

}  // namespace

cudaError_t conv2d(const Conv2dArgs& a, cudaStream_t stream) {
  const int64_t total = a.images * a.out_channels * a.out_h * a.out_w;
  if (total == 0) return cudaSuccess;
  conv2d_kernel<<<grid_for(total), kThreads, 0, stream>>>(a, total);
  return cudaGetLastError();
}

cudaError_t pool2d(const Pool2dArgs& a, cudaStream_t stream) {
  const int64_t total = a.planes * a.out_h * a.out_w;
  if (total == 0) return cudaSuccess;
  pool2d_kernel<<<grid_for(total), kThreads, 0, stream>>>(a, total);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::conv2d_op, snn::cuda::conv2d);
SNN_REGISTER_CUDA_KERNEL(snn::pool2d_op, snn::cuda::pool2d);
