// CUDA kernel launchers (implemented in the .cu files of this folder, compiled by nvcc).
// Each enqueues work on `stream` and returns the launch status; nothing here synchronises.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "kernels/args.h"

namespace snn::cuda {

cudaError_t uniform(const UniformArgs& args, cudaStream_t stream);
// Sets *first (device memory) to the index of the first element of x[0, n) that is NaN or
// outside [lo, hi], or to n when there is none.
cudaError_t find_outside_range(const float* x, int64_t n, float lo, float hi, unsigned long long* first,
                               cudaStream_t stream);
cudaError_t poisson(const PoissonArgs& args, cudaStream_t stream);
cudaError_t swap_axes(const SwapAxesArgs& args, cudaStream_t stream);
// `count` copies of an `element_size`-byte (1, 4 or 8) pattern.
cudaError_t fill(void* dst, size_t count, size_t element_size, const void* pattern, cudaStream_t stream);
// acc[i] += x[i] for i in [0, n).
cudaError_t add(float* acc, const float* x, int64_t n, cudaStream_t stream);
cudaError_t scale_columns(const ScaleColumnsArgs& args, cudaStream_t stream);
// out[r, :] = row[:] for r in [0, rows): the bias of a linear layer.
cudaError_t broadcast_rows(float* out, const float* row, int64_t rows, int64_t cols, cudaStream_t stream);

}  // namespace snn::cuda
