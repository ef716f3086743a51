// The argument block of the neuron family's kernels (snn/neuron.h), shared by the CPU (.cpp)
// and CUDA (.cu) implementations. Pointers are device addresses of the backend that runs the
// kernel; every argument was validated by the API layer (api/neuron_api.cpp) before a kernel
// sees it.
#pragma once

#include <cstdint>

#include "kernels/args.h"
#include "device/operation.h"

namespace snn {

enum class NeuronModel : int32_t { kIf = 0, kLif = 1, kLi = 2, kAlif = 3, kCubaLif = 4 };  // = snn_neuron_model
enum class SpikeTiming : int32_t { kBeforeInput = 0, kAfterInput = 1 };                    // = snn_spike_timing

struct NeuronArgs {
  const float* input;      // [T, B, N]
  const float* recurrent;  // [N, N] indexed [pre, post], or nullptr
  float* output;           // [T, B, N]: spike counts, or V' for LI

  // Decays: per-neuron [N] arrays, or nullptr for the scalar (already clamped when clip is set).
  const float* alpha;
  const float* beta;
  const float* gamma;
  float alpha_scalar, beta_scalar, gamma_scalar;
  bool clip;  // clamp per-neuron decays into [0, 1] as they are loaded

  // State [B, N], each nullptr when not given (starts at 0, final value dropped).
  float* v;
  float* i;
  float* a;
  float* refractory;
  float* spikes;  // the previous step's output (recurrent, spike after input)

  // Records [T, B, N] or nullptr. record_membrane may equal input (in place).
  float* record_membrane;
  float* record_current;
  float* record_adaptation;
  float* record_refractory;

  int64_t steps;    // T >= 1
  int64_t batch;    // B
  int64_t neurons;  // N
  NeuronModel model;
  SpikeTiming timing;
  ResetMode reset;
  bool inclusive;
  int32_t refractory_steps;  // >= 0
  int32_t max_spikes;        // >= 1
  float threshold;
};

// counts[j] += spikes[t * neurons + j] for t = 0 .. steps-1 (snn_spike_count).
struct SpikeCountArgs {
  const float* spikes;
  float* counts;
  int64_t steps;
  int64_t neurons;  // B * N
};

// output[r, c] = sum over k < group of input[r, c * group + k] (snn_population_code).
struct PopulationCodeArgs {
  const float* input;
  float* output;
  int64_t rows;
  int64_t classes;
  int64_t group;
};

constexpr int kMaxPoolRank = 8;

// Window sums over a row-major tensor (snn_sum_pool); output[o] sums input[o * stride + w - pad_low].
struct SumPoolArgs {
  const float* input;
  float* output;
  int32_t rank;
  int64_t in_shape[kMaxPoolRank];
  int64_t out_shape[kMaxPoolRank];
  int64_t window[kMaxPoolRank];
  int64_t stride[kMaxPoolRank];
  int64_t pad_low[kMaxPoolRank];
  int64_t out_numel;
  int64_t window_numel;
};

// True when refractory periods or multi-spike counts are in play (the general, slower step).
inline bool neuron_extras(const NeuronArgs& a) { return a.refractory_steps > 0 || a.max_spikes > 1; }

// The neuron family and its helpers as operations (device/operation.h).
inline Operation<NeuronArgs> neuron_op{"neuron"};
inline Operation<SpikeCountArgs> spike_count_op{"spike count"};
inline Operation<PopulationCodeArgs> population_code_op{"population code"};
inline Operation<SumPoolArgs> sum_pool_op{"sum pool"};

}  // namespace snn
