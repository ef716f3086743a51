// Registration of CUDA kernels (see device/operation.h); included by the .cu files and the few
// host files that launch CUDA library calls (cuBLAS).
#pragma once

#include <cuda_runtime_api.h>

#include "device/operation.h"

namespace snn {

// The erased form of a CUDA launcher `cudaError_t fn(const Args&, cudaStream_t)`.
template <class Args, cudaError_t (*Fn)(const Args&, cudaStream_t)>
int32_t cuda_kernel(const void* args, const Launch& launch) {
  return static_cast<int32_t>(Fn(*static_cast<const Args*>(args), static_cast<cudaStream_t>(launch.stream)));
}

}  // namespace snn

// SNN_REGISTER_CUDA_KERNEL(op, fn): fn is `cudaError_t fn(const Args&, cudaStream_t)` for op's Args.
#define SNN_REGISTER_CUDA_KERNEL(op, fn)                                                              \
  static const ::snn::KernelRegistration SNN_OPERATION_CONCAT(snn_cuda_kernel_registration_, __LINE__){ \
      (op), SNN_DEVICE_CUDA, &::snn::cuda_kernel<typename std::decay_t<decltype(op)>::ArgsType, (fn)>}
// SNN_REGISTER_CUDA_LAUNCH(op, fn): fn is already a Kernel (it needs more of the Launch than the stream).
#define SNN_REGISTER_CUDA_LAUNCH(op, fn)                                                              \
  static const ::snn::KernelRegistration SNN_OPERATION_CONCAT(snn_cuda_kernel_registration_, __LINE__){ \
      (op), SNN_DEVICE_CUDA, (fn)}
