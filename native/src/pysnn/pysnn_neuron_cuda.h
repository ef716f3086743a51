// CUDA launcher of PySNN's neurons (pysnn_neuron.cu): enqueues on `stream`, returns the launch status.
#pragma once

#include <cuda_runtime_api.h>

#include "pysnn/pysnn_neuron_args.h"

namespace snn::cuda {

cudaError_t pysnn_neuron(const PysnnNeuronArgs& args, cudaStream_t stream);

}  // namespace snn::cuda
