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
// Sets *first (device memory) to the index of the first element of x[0, n) that is NaN or
// outside [lo, hi], or to n when there is none.
cudaError_t find_outside_range(const float* x, int64_t n, float lo, float hi, unsigned long long* first,
                               cudaStream_t stream);

}  // namespace snn::cuda
