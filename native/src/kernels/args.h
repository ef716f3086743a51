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

enum class Distribution : int32_t { kConstant = 0, kUniform = 1, kNormal = 2, kTruncatedNormal = 3 };  // = snn_distribution_kind

// snn_random_fill: out[i] for i in [0, n) from the stream (seed, offset), as snn/random.h defines it.
struct RandomFillArgs {
  float* out;
  int64_t n;
  Distribution kind;
  double a, b, bound;
  uint64_t seed;
  uint64_t offset;
};

// out[r, c] = scale[c] * x[r, c] for r in [0, rows), c in [0, cols): a per-column gain.
struct ScaleColumnsArgs {
  const float* x;
  const float* scale;
  float* out;
  int64_t rows;
  int64_t cols;
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

// output[M, N] = input[M, K] @ weight[N, K]^T (+ bias[N]), or input @ weight[K, N] when
// weight_input_major.
struct LinearArgs {
  const float* input;
  const float* weight;
  const float* bias;  // nullptr for none
  float* output;
  int64_t rows;      // M
  int64_t outputs;   // N
  int64_t inputs;    // K
  bool weight_input_major = false;  // weight laid out [K, N] (row k: input k's weights into every output)
};

// The shared kernels as operations (device/operation.h).
inline Operation<UniformArgs> uniform_op{"uniform"};
// out[j, i, k] = in[i, j, k] for i < rows, j < cols, k < inner: the two leading axes swapped.
struct SwapAxesArgs {
  const float* in;
  float* out;
  int64_t rows, cols, inner;
};

inline Operation<RandomFillArgs> random_fill_op{"random fill"};
inline Operation<SwapAxesArgs> swap_axes_op{"swap leading axes"};
inline Operation<PoissonArgs> poisson_op{"poisson"};
inline Operation<ScaleColumnsArgs> scale_columns_op{"scale columns"};
inline Operation<LinearArgs> linear_op{"linear"};

}  // namespace snn
