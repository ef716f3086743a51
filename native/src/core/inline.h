// SNN_INLINE marks the arithmetic written once for both compilers: g++ inlines it into the CPU
// kernels, nvcc compiles it for host and device. The one host/device macro of the library.
#pragma once

#if defined(__CUDACC__)
#define SNN_INLINE __host__ __device__ __forceinline__
#else
#define SNN_INLINE __attribute__((always_inline)) inline
#endif
