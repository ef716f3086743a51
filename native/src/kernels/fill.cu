// Element-wise writes on CUDA: snn_tensor_fill's typed broadcast, snn_tensor_add, and the bias
// rows a linear layer starts from before cuBLAS accumulates onto them, and per-column gains.
#include <cstring>

#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

template <class T>
__global__ void fill_kernel(T* dst, int64_t n, T value) {
  for (int64_t i = global_index(); i < n; i += grid_stride()) dst[i] = value;
}

__global__ void broadcast_rows_kernel(float* out, const float* row, int64_t total, int64_t cols) {
  for (int64_t i = global_index(); i < total; i += grid_stride()) out[i] = row[i % cols];
}

__global__ void add_kernel(float* acc, const float* x, int64_t n) {
  for (int64_t i = global_index(); i < n; i += grid_stride()) acc[i] += x[i];
}

template <class T>
cudaError_t fill_typed(void* dst, size_t count, const void* pattern, cudaStream_t stream) {
  T value;
  std::memcpy(&value, pattern, sizeof(T));
  const int64_t n = static_cast<int64_t>(count);
  fill_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(static_cast<T*>(dst), n, value);
  return cudaGetLastError();
}

}  // namespace

cudaError_t fill(void* dst, size_t count, size_t element_size, const void* pattern, cudaStream_t stream) {
  switch (element_size) {
    case 1: return fill_typed<uint8_t>(dst, count, pattern, stream);
    case 4: return fill_typed<uint32_t>(dst, count, pattern, stream);
    case 8: return fill_typed<uint64_t>(dst, count, pattern, stream);
    default: return cudaErrorInvalidValue;
  }
}

cudaError_t add(float* acc, const float* x, int64_t n, cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  add_kernel<<<grid_for(n), kThreads, 0, stream>>>(acc, x, n);
  return cudaGetLastError();
}

cudaError_t broadcast_rows(float* out, const float* row, int64_t rows, int64_t cols, cudaStream_t stream) {
  const int64_t total = rows * cols;
  broadcast_rows_kernel<<<grid_for(total), kThreads, 0, stream>>>(out, row, total, cols);
  return cudaGetLastError();
}

namespace {
__global__ void scale_columns_kernel(const float* x, const float* scale, float* out, int64_t total, int64_t cols) {
  for (int64_t i = global_index(); i < total; i += grid_stride()) out[i] = scale[i % cols] * x[i];
}
}  // namespace

cudaError_t scale_columns(const ScaleColumnsArgs& a, cudaStream_t stream) {
  const int64_t total = a.rows * a.cols;
  if (total == 0) return cudaSuccess;
  scale_columns_kernel<<<grid_for(total), kThreads, 0, stream>>>(a.x, a.scale, a.out, total, a.cols);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::scale_columns_op, snn::cuda::scale_columns);
