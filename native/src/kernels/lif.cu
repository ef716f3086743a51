// The LIF recurrence on CUDA: one thread per neuron (b, n), the time loop inside, the
// membrane in a register. Neighbouring threads touch neighbouring n, so every step's loads
// and stores coalesce. __fmul_rn/__fadd_rn forbid FMA contraction, which makes the result
// bit-identical to the CPU kernel (also built without contraction).
#include "kernels/cuda_kernels.h"
#include "kernels/launch.cuh"

namespace snn::cuda {
namespace {

template <ResetMode kReset>
__global__ void lif_kernel(const float* current, float* spikes, float* membrane, float* state, int64_t steps,
                           int64_t neurons, float beta, float threshold) {
  for (int64_t j = global_index(); j < neurons; j += grid_stride()) {
    float v = state != nullptr ? state[j] : 0.0f;
    for (int64_t t = 0; t < steps; ++t) {
      const int64_t i = t * neurons + j;
      float x = __fadd_rn(__fmul_rn(beta, v), current[i]);
      if (membrane != nullptr) membrane[i] = x;  // may be current itself: read above, written here
      const bool fire = x > threshold;
      spikes[i] = fire ? 1.0f : 0.0f;
      if (kReset == ResetMode::kSubtract) x = fire ? __fsub_rn(x, threshold) : x;
      if (kReset == ResetMode::kZero) x = fire ? 0.0f : x;
      v = x;
    }
    if (state != nullptr) state[j] = v;
  }
}

}  // namespace

cudaError_t lif(const LifArgs& a, cudaStream_t stream) {
  const unsigned int grid = grid_for(a.neurons);
  switch (a.reset) {
    case ResetMode::kSubtract:
      lif_kernel<ResetMode::kSubtract><<<grid, kThreads, 0, stream>>>(a.current, a.spikes, a.membrane, a.state,
                                                                      a.steps, a.neurons, a.beta, a.threshold);
      break;
    case ResetMode::kZero:
      lif_kernel<ResetMode::kZero><<<grid, kThreads, 0, stream>>>(a.current, a.spikes, a.membrane, a.state,
                                                                  a.steps, a.neurons, a.beta, a.threshold);
      break;
    case ResetMode::kNone:
      lif_kernel<ResetMode::kNone><<<grid, kThreads, 0, stream>>>(a.current, a.spikes, a.membrane, a.state,
                                                                  a.steps, a.neurons, a.beta, a.threshold);
      break;
  }
  return cudaGetLastError();
}

}  // namespace snn::cuda
