// Neurons with traces (snn/trace_neuron.h) on CUDA, with the arithmetic of trace_neuron_args.h
// shared with the CPU kernel (compiled with --fmad=false, so results are bit-identical to it).
// One thread per neuron (b, n), the time loop inside, the state in registers; neighbouring
// threads touch neighbouring n, so every step's loads and stores coalesce (as neurons/neuron.cu).
#include "kernels/launch.cuh"
#include "trace_neurons/trace_neuron_cuda.h"
#include "device/cuda_operation.h"

namespace snn::cuda {
namespace {

template <TraceNeuronModel M, bool kExp>
__global__ void trace_neuron_kernel(TraceNeuronArgs a) {
  const int64_t bn = a.batch * a.neurons;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    const trace::Cell r = trace::rest(a.c);
    trace::Cell s{a.v != nullptr ? a.v[j] : r.v, a.trace != nullptr ? a.trace[j] : r.trace,
                  a.refractory != nullptr ? a.refractory[j] : r.ref, a.threshold != nullptr ? a.threshold[j] : r.th};
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t e = t * bn + j;
      a.spikes[e] = trace::step<M, kExp>(a.input[e], a.c, s);
      a.trace_out[e] = s.trace;
      if (a.record_v != nullptr) a.record_v[e] = s.v;
    }
    if (a.trace != nullptr) a.trace[j] = s.trace;
    if (M != TraceNeuronModel::kInput) {
      if (a.v != nullptr) a.v[j] = s.v;
      if (a.refractory != nullptr) a.refractory[j] = s.ref;
    }
    if (M == TraceNeuronModel::kAdaptiveLif && a.threshold != nullptr) a.threshold[j] = s.th;
  }
}

struct Launch {
  const TraceNeuronArgs& a;
  cudaStream_t stream;
  cudaError_t* status;

  template <TraceNeuronModel M, bool kExp>
  void operator()() const {
    trace_neuron_kernel<M, kExp><<<grid_for(a.batch * a.neurons), kThreads, 0, stream>>>(a);
    *status = cudaGetLastError();
  }
};

}  // namespace

cudaError_t trace_neuron(const TraceNeuronArgs& a, cudaStream_t stream) {
  if (a.batch == 0 || a.neurons == 0) return cudaSuccess;
  cudaError_t status = cudaSuccess;
  trace::dispatch(a, Launch{a, stream, &status});
  return status;
}

}  // namespace snn::cuda

SNN_REGISTER_CUDA_KERNEL(snn::trace_neuron_op, snn::cuda::trace_neuron);
