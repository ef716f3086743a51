// cuBLAS, loaded on first use with dlopen rather than linked, so that libsnn.so has no hard
// dependency on CUDA libraries: a CPU-only machine loads it without libcublas installed, and
// asking for a CUDA device there fails with SNN_ERROR_DEVICE_UNAVAILABLE and a clear message.
#pragma once

#include <cublas_v2.h>

namespace snn::cuda {

// The cuBLAS entry points the CUDA backend uses (the _v2 names that cublas_v2.h's macros name).
struct Cublas {
  decltype(&cublasCreate_v2) create;
  decltype(&cublasDestroy_v2) destroy;
  decltype(&cublasSetStream_v2) set_stream;
  decltype(&cublasSetMathMode) set_math_mode;
  decltype(&cublasSgemm_v2) sgemm;
};

// Loads libcublas once per process; throws SNN_ERROR_DEVICE_UNAVAILABLE naming the library
// and what to install when it cannot be loaded or lacks a symbol.
const Cublas& cublas();

// Throws for a failed cuBLAS call: SNN_ERROR_OUT_OF_MEMORY when it ran out of GPU memory,
// SNN_ERROR_BACKEND otherwise.
void check_blas(cublasStatus_t s, const char* what);

}  // namespace snn::cuda
