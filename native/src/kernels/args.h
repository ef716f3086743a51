// Plain argument blocks of the compute kernels, shared by the CPU (.cpp) and CUDA (.cu)
// implementations. Pointers are device addresses of the backend that runs the kernel; all
// arguments were validated by the API layer before a kernel sees them.
#pragma once

#include <cstdint>
#include "device/operation.h"

namespace snn {

enum class ResetMode : int32_t { kSubtract = 0, kZero = 1, kNone = 2 };  // = snn_reset_mode

// out[i] = u(i) of the uniform stream (seed, offset) (snn/random.h), i in [0, n).
struct UniformArgs {
  float* out;
  int64_t n;
  uint64_t seed;
  uint64_t offset;
};

// Poisson encoding (snn/encode.h): spikes[t * BN + j] = u(t * BN + j) < intensities[j].
struct PoissonArgs {
  const float* intensities;  // [BN], already checked to lie in [0, 1]
  float* spikes;             // [T, BN]
  int64_t steps;
  int64_t neurons;
  uint64_t seed;
  uint64_t offset;
};

// output[M, N] = input[M, K] @ weight[N, K]^T (+ bias[N]).
struct LinearArgs {
  const float* input;
  const float* weight;
  const float* bias;  // nullptr for none
  float* output;
  int64_t rows;      // M
  int64_t outputs;   // N
  int64_t inputs;    // K
};

// The shared kernels as operations (device/operation.h).
inline Operation<UniformArgs> uniform_op{"uniform"};
inline Operation<PoissonArgs> poisson_op{"poisson"};
inline Operation<LinearArgs> linear_op{"linear"};

}  // namespace snn
