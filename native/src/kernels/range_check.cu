// The on-device value check that precedes kernels whose inputs must lie in a range (Poisson
// intensities in [0, 1], per-neuron decays): one flag, read back once by the backend, so invalid
// input is rejected before any output is written.
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"

namespace snn::cuda {
namespace {

__global__ void reset_first_kernel(unsigned long long* first, int64_t n) {
  *first = static_cast<unsigned long long>(n);
}

__global__ void find_outside_range_kernel(const float* x, int64_t n, float lo, float hi, unsigned long long* first) {
  for (int64_t i = global_index(); i < n; i += grid_stride()) {
    const float v = x[i];
    if (!(v >= lo && v <= hi)) atomicMin(first, static_cast<unsigned long long>(i));  // NaN fails both
  }
}

}  // namespace

cudaError_t find_outside_range(const float* x, int64_t n, float lo, float hi, unsigned long long* first,
                               cudaStream_t stream) {
  reset_first_kernel<<<1, 1, 0, stream>>>(first, n);
  cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess || n == 0) return e;
  find_outside_range_kernel<<<grid_for(n), kThreads, 0, stream>>>(x, n, lo, hi, first);
  return cudaGetLastError();
}

}  // namespace snn::cuda
