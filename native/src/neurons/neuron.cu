// The neuron family (snn/neuron.h) on CUDA, with the arithmetic of neuron_step.h shared with
// the CPU kernels (compiled with --fmad=false, so results are bit-identical to them).
//
// Feed-forward populations: one thread per neuron (b, n), the time loop inside, the state in
// registers; neighbouring threads touch neighbouring n, so every step's loads and stores
// coalesce. Recurrent populations: one launch per step (two under SNN_SPIKE_BEFORE_INPUT: the
// step's spikes first), each thread summing the rows W[pre, n] of the neurons that spiked in
// ascending pre order, exactly as the CPU does.
#include "kernels/launch.cuh"
#include "neurons/neuron_cuda.h"
#include "neurons/neuron_step.h"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

using neuron::Cell;
using neuron::StepConfig;

__device__ __forceinline__ float decay(const float* per_neuron, float scalar, bool clip, int64_t n) {
  return per_neuron != nullptr ? neuron::clip_decay(per_neuron[n], clip) : scalar;
}

__device__ __forceinline__ Cell load_cell(const NeuronArgs& a, int64_t j) {
  return Cell{a.v != nullptr ? a.v[j] : 0.0f, a.i != nullptr ? a.i[j] : 0.0f, a.a != nullptr ? a.a[j] : 0.0f,
              a.refractory != nullptr ? a.refractory[j] : 0.0f};
}

__device__ __forceinline__ void store_cell(const NeuronArgs& a, int64_t j, const Cell& s) {
  if (a.v != nullptr) a.v[j] = s.v;
  if (a.i != nullptr) a.i[j] = s.i;
  if (a.a != nullptr) a.a[j] = s.a;
  if (a.refractory != nullptr) a.refractory[j] = s.ref;
}

// Records what a step used (adaptation, refractory counter: before it) and produced.
__device__ __forceinline__ void record_before(const NeuronArgs& a, int64_t e, const Cell& s) {
  if (a.record_adaptation != nullptr) a.record_adaptation[e] = s.a;
  if (a.record_refractory != nullptr) a.record_refractory[e] = s.ref;
}

__device__ __forceinline__ void record_after(const NeuronArgs& a, int64_t e, const Cell& s, float membrane) {
  if (a.record_membrane != nullptr) a.record_membrane[e] = membrane;  // may be input itself: read before
  if (a.record_current != nullptr) a.record_current[e] = s.i;
}

template <NeuronModel M, SpikeTiming TM, bool kExtras>
__global__ void feed_forward_kernel(NeuronArgs a, StepConfig c) {
  const int64_t bn = a.batch * a.neurons;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    const int64_t n = j % a.neurons;
    const float alpha = decay(a.alpha, a.alpha_scalar, a.clip, n);
    const float beta = decay(a.beta, a.beta_scalar, a.clip, n);
    const float gamma = decay(a.gamma, a.gamma_scalar, a.clip, n);
    Cell s = load_cell(a, j);
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t e = t * bn + j;
      record_before(a, e, s);
      float membrane;
      a.output[e] = neuron::step<M, TM, kExtras, false>(a.input[e], 0.0f, alpha, beta, gamma, c, s, membrane);
      record_after(a, e, s, membrane);
    }
    store_cell(a, j, s);
  }
}

// Under SNN_SPIKE_BEFORE_INPUT: the spikes of step t, from the state alone.
template <NeuronModel M, bool kExtras>
__global__ void spikes_before_input_kernel(NeuronArgs a, StepConfig c, int64_t t) {
  const int64_t bn = a.batch * a.neurons;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    a.output[t * bn + j] = neuron::spikes_before_input<M, kExtras>(load_cell(a, j), c);
  }
}

// Step t of a recurrent population; `spikes` [B, N] is what the recurrent input reads, or
// nullptr for none (the first step after input with no previous spikes).
template <NeuronModel M, SpikeTiming TM, bool kExtras>
__global__ void recurrent_step_kernel(NeuronArgs a, StepConfig c, int64_t t, const float* spikes) {
  const int64_t N = a.neurons, bn = a.batch * N;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    const int64_t b = j / N, n = j % N, e = t * bn + j;
    float r = 0.0f;
    if (spikes != nullptr) {
      const float* s_row = spikes + b * N;
      for (int64_t pre = 0; pre < N; ++pre) {
        const float sp = s_row[pre];
        if (sp != 0.0f) r = r + sp * a.recurrent[pre * N + n];
      }
    }
    Cell s = load_cell(a, j);
    record_before(a, e, s);
    float membrane;
    const float o = neuron::step<M, TM, kExtras, true>(a.input[e], r, decay(a.alpha, a.alpha_scalar, a.clip, n),
                                                      decay(a.beta, a.beta_scalar, a.clip, n),
                                                      decay(a.gamma, a.gamma_scalar, a.clip, n), c, s, membrane);
    if (TM != SpikeTiming::kBeforeInput) a.output[e] = o;
    record_after(a, e, s, membrane);
    store_cell(a, j, s);
  }
}

struct Launch {
  const NeuronArgs& a;
  StepConfig c;
  cudaStream_t stream;
  cudaError_t* status;

  template <NeuronModel M, SpikeTiming TM, bool kExtras>
  void operator()() const {
    const int64_t bn = a.batch * a.neurons;
    const unsigned int grid = grid_for(bn);
    if (a.recurrent == nullptr) {
      feed_forward_kernel<M, TM, kExtras><<<grid, kThreads, 0, stream>>>(a, c);
      *status = cudaGetLastError();
      return;
    }
    for (int64_t t = 0; t < a.steps; ++t) {
      const float* spikes;
      if (TM == SpikeTiming::kBeforeInput) {
        spikes_before_input_kernel<M, kExtras><<<grid, kThreads, 0, stream>>>(a, c, t);
        spikes = a.output + t * bn;
      } else {
        spikes = t > 0 ? a.output + (t - 1) * bn : a.spikes;
      }
      recurrent_step_kernel<M, TM, kExtras><<<grid, kThreads, 0, stream>>>(a, c, t, spikes);
      *status = cudaGetLastError();
      if (*status != cudaSuccess) return;
    }
    if (a.spikes != nullptr && TM == SpikeTiming::kAfterInput) {
      *status = cudaMemcpyAsync(a.spikes, a.output + (a.steps - 1) * bn, static_cast<size_t>(bn) * sizeof(float),
                                cudaMemcpyDeviceToDevice, stream);
    }
  }
};

__global__ void spike_count_kernel(SpikeCountArgs a) {
  for (int64_t j = global_index(); j < a.neurons; j += grid_stride()) {
    float acc = a.counts[j];
    for (int64_t t = 0; t < a.steps; ++t) acc = acc + a.spikes[t * a.neurons + j];
    a.counts[j] = acc;
  }
}

__global__ void population_code_kernel(PopulationCodeArgs a) {
  const int64_t total = a.rows * a.classes;
  for (int64_t e = global_index(); e < total; e += grid_stride()) {
    float acc = 0.0f;
    for (int64_t k = 0; k < a.group; ++k) acc = acc + a.input[e * a.group + k];
    a.output[e] = acc;
  }
}

__global__ void sum_pool_kernel(SumPoolArgs a) {
  for (int64_t o = global_index(); o < a.out_numel; o += grid_stride()) a.output[o] = neuron::sum_pool_element(a, o);
}

}  // namespace

cudaError_t spike_count(const SpikeCountArgs& a, cudaStream_t stream) {
  spike_count_kernel<<<grid_for(a.neurons), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t population_code(const PopulationCodeArgs& a, cudaStream_t stream) {
  population_code_kernel<<<grid_for(a.rows * a.classes), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t sum_pool(const SumPoolArgs& a, cudaStream_t stream) {
  sum_pool_kernel<<<grid_for(a.out_numel), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

cudaError_t neuron(const NeuronArgs& a, cudaStream_t stream) {
  if (a.batch == 0 || a.neurons == 0) return cudaSuccess;
  cudaError_t status = cudaSuccess;
  neuron::dispatch(a, Launch{a, neuron::step_config(a), stream, &status});
  return status;
}


}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::neuron_op, snn::cuda::neuron);
SNN_REGISTER_CUDA_KERNEL(snn::spike_count_op, snn::cuda::spike_count);
SNN_REGISTER_CUDA_KERNEL(snn::population_code_op, snn::cuda::population_code);
SNN_REGISTER_CUDA_KERNEL(snn::sum_pool_op, snn::cuda::sum_pool);
