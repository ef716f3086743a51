// CUDA launchers of the neuron family (neuron.cu). Each enqueues work on `stream` and returns
// the launch status; nothing here synchronises.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "neurons/neuron_args.h"

namespace snn::cuda {

cudaError_t neuron(const NeuronArgs& args, cudaStream_t stream);
cudaError_t spike_count(const SpikeCountArgs& args, cudaStream_t stream);
cudaError_t population_code(const PopulationCodeArgs& args, cudaStream_t stream);
cudaError_t sum_pool(const SumPoolArgs& args, cudaStream_t stream);

}  // namespace snn::cuda
