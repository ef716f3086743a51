// CUDA launcher of the neurons with traces (trace_neuron.cu): enqueues on `stream`, returns the launch status.
#pragma once

#include <cuda_runtime_api.h>

#include "trace_neurons/trace_neuron_args.h"

namespace snn::cuda {

cudaError_t trace_neuron(const TraceNeuronArgs& args, cudaStream_t stream);

}  // namespace snn::cuda
