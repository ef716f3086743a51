// PySNN's neurons (snn/pysnn_neuron.h) on CUDA, with the arithmetic of pysnn_neuron_args.h
// shared with the CPU kernel (compiled with --fmad=false, so results are bit-identical to it).
// One thread per neuron (b, n), the time loop inside, the state in registers; neighbouring
// threads touch neighbouring n, so every step's loads and stores coalesce (as neurons/neuron.cu).
#include "kernels/launch.cuh"
#include "pysnn/pysnn_neuron_cuda.h"

namespace snn::cuda {
namespace {

template <PysnnModel M, bool kExp>
__global__ void pysnn_neuron_kernel(PysnnNeuronArgs a) {
  const int64_t bn = a.batch * a.neurons;
  for (int64_t j = global_index(); j < bn; j += grid_stride()) {
    const pysnn::Cell r = pysnn::rest(a.c);
    pysnn::Cell s{a.v != nullptr ? a.v[j] : r.v, a.trace != nullptr ? a.trace[j] : r.trace,
                  a.refractory != nullptr ? a.refractory[j] : r.ref, a.threshold != nullptr ? a.threshold[j] : r.th};
    for (int64_t t = 0; t < a.steps; ++t) {
      const int64_t e = t * bn + j;
      a.spikes[e] = pysnn::step<M, kExp>(a.input[e], a.c, s);
      a.trace_out[e] = s.trace;
      if (a.record_v != nullptr) a.record_v[e] = s.v;
    }
    if (a.trace != nullptr) a.trace[j] = s.trace;
    if (M != PysnnModel::kInput) {
      if (a.v != nullptr) a.v[j] = s.v;
      if (a.refractory != nullptr) a.refractory[j] = s.ref;
    }
    if (M == PysnnModel::kAdaptiveLif && a.threshold != nullptr) a.threshold[j] = s.th;
  }
}

struct Launch {
  const PysnnNeuronArgs& a;
  cudaStream_t stream;
  cudaError_t* status;

  template <PysnnModel M, bool kExp>
  void operator()() const {
    pysnn_neuron_kernel<M, kExp><<<grid_for(a.batch * a.neurons), kThreads, 0, stream>>>(a);
    *status = cudaGetLastError();
  }
};

}  // namespace

cudaError_t pysnn_neuron(const PysnnNeuronArgs& a, cudaStream_t stream) {
  if (a.batch == 0 || a.neurons == 0) return cudaSuccess;
  cudaError_t status = cudaSuccess;
  pysnn::dispatch(a, Launch{a, stream, &status});
  return status;
}

}  // namespace snn::cuda
