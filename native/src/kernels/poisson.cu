// Poisson encoding on CUDA (its intensities are checked first by range_check.cu).
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"
#include "random/philox.h"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

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

cudaError_t poisson(const PoissonArgs& a, cudaStream_t stream) {
  const int64_t total = a.steps * a.neurons;
  poisson_kernel<<<grid_for((total + 3) / 4), kThreads, 0, stream>>>(a.intensities, a.spikes, total, a.neurons,
                                                                     a.seed, a.offset);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::poisson_op, snn::cuda::poisson);
