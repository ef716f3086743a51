// Poisson encoding on CUDA, and the on-device intensity check that precedes it (one flag,
// read back once by the backend, so invalid input is rejected before any spike is written).
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"
#include "random/philox.h"

namespace snn::cuda {
namespace {

__global__ void reset_first_kernel(unsigned long long* first, int64_t n) {
  *first = static_cast<unsigned long long>(n);
}

__global__ void find_outside_kernel(const float* x, int64_t n, unsigned long long* first) {
  for (int64_t i = global_index(); i < n; i += grid_stride()) {
    const float v = x[i];
    if (!(v >= 0.0f && v <= 1.0f)) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

// One thread per Philox block: elements 4g .. 4g+3 of the flattened [T, BN] spike tensor.
__global__ void poisson_kernel(const float* intensities, float* spikes, int64_t total, int64_t neurons,
                               uint64_t seed, uint64_t offset) {
  const int64_t blocks = (total + 3) / 4;
  for (int64_t g = global_index(); g < blocks; g += grid_stride()) {
    const philox::Block r = philox::stream_block(static_cast<uint64_t>(g), seed, offset);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const int64_t i = 4 * g + k;
      if (i < total) spikes[i] = philox::word_to_uniform(r.v[k]) < intensities[i % neurons] ? 1.0f : 0.0f;
    }
  }
}

}  // namespace

cudaError_t find_outside_unit_interval(const float* x, int64_t n, unsigned long long* first, cudaStream_t stream) {
  reset_first_kernel<<<1, 1, 0, stream>>>(first, n);
  cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess || n == 0) return e;
  find_outside_kernel<<<grid_for(n), kThreads, 0, stream>>>(x, n, first);
  return cudaGetLastError();
}

cudaError_t poisson(const PoissonArgs& a, cudaStream_t stream) {
  const int64_t total = a.steps * a.neurons;
  poisson_kernel<<<grid_for((total + 3) / 4), kThreads, 0, stream>>>(a.intensities, a.spikes, total, a.neurons,
                                                                     a.seed, a.offset);
  return cudaGetLastError();
}

}  // namespace snn::cuda
