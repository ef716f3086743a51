// The integrate-and-fire population (snn/iaf.h) on CUDA, with the step arithmetic of iaf_args.h
// shared with the CPU kernel (compiled with --fmad=false, so the noise-free results match the
// CPU bit for bit; with noise, log and cos may differ from glibc in the last bit of a double).
// One thread per neuron (b, n), the time loop inside and the state in registers; neighbouring
// threads touch neighbouring n, so every step's loads and stores coalesce.
#include "core/error.h"
#include "current_iaf/current_iaf_cuda.h"
#include "device/cuda_operation.h"
#include "kernels/launch.cuh"

namespace snn::cuda {
namespace {

template <bool kNoise>
__global__ void current_iaf_kernel(CurrentIafArgs a) {
  const int64_t bn = a.batch * a.neurons;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    const iaf::Neuron k = iaf::neuron(a, j % a.neurons);
    float v = a.v != nullptr ? a.v[j] : static_cast<float>(k.v_rest);
    float c = a.refractory != nullptr ? a.refractory[j] : 0.0f;
    const double bias = a.bias != nullptr ? static_cast<double>(a.bias[j % a.neurons]) : 0.0;
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t e = t * bn + j;
      double current = static_cast<double>(a.current[e]) + bias;
      if (kNoise) {
        current += k.noise_scale * iaf::normal(a.seed, a.step0 + static_cast<uint64_t>(t), static_cast<uint64_t>(j));
      }
      a.spikes[e] = iaf::step(a, k, current, v, c);
      if (a.record_v != nullptr) a.record_v[e] = v;
    }
    if (a.v != nullptr) a.v[j] = v;
    if (a.refractory != nullptr) a.refractory[j] = c;
  }
}

}  // namespace

cudaError_t current_iaf(const CurrentIafArgs& a, cudaStream_t stream) {
  // The API layer runs the projection as a GEMM first on CUDA and passes `current`.
  if (a.weight != nullptr) fail(SNN_ERROR_INTERNAL, "the CUDA integrate-and-fire kernel takes currents, not a projection");
  const int64_t bn = a.batch * a.neurons;
  if (bn == 0) return cudaSuccess;
  if (a.noise_scale > 0.0) current_iaf_kernel<true><<<grid_for(bn), kThreads, 0, stream>>>(a);
  else current_iaf_kernel<false><<<grid_for(bn), kThreads, 0, stream>>>(a);
  return cudaGetLastError();
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::current_iaf_op, snn::cuda::current_iaf);
