// Launch geometry shared by the CUDA kernels: 1-D grids with grid-stride loops, so any
// 64-bit element count works with a bounded grid.
#pragma once

#include <cstdint>

namespace snn::cuda {

constexpr int kThreads = 256;

inline unsigned int grid_for(int64_t work) {
  constexpr int64_t kMaxBlocks = int64_t{1} << 20;
  int64_t blocks = (work + kThreads - 1) / kThreads;
  if (blocks < 1) blocks = 1;
  if (blocks > kMaxBlocks) blocks = kMaxBlocks;
  return static_cast<unsigned int>(blocks);
}

__device__ __forceinline__ int64_t global_index() {
  return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ int64_t grid_stride() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

}  // namespace snn::cuda
