// snn_random_uniform on CUDA: one thread per Philox block (4 consecutive elements).
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"
#include "random/philox.h"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

__global__ void uniform_kernel(float* out, int64_t n, uint64_t seed, uint64_t offset) {
  const int64_t blocks = (n + 3) / 4;
  for (int64_t g = global_index(); g < blocks; g += grid_stride()) {
    const philox::Block r = philox::stream_block(static_cast<uint64_t>(g), seed, offset);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      const int64_t i = 4 * g + k;
      if (i < n) out[i] = philox::word_to_uniform(r.v[k]);
    }
  }
}

}  // namespace

cudaError_t uniform(const UniformArgs& a, cudaStream_t stream) {
  uniform_kernel<<<grid_for((a.n + 3) / 4), kThreads, 0, stream>>>(a.out, a.n, a.seed, a.offset);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::uniform_op, snn::cuda::uniform);
