// CPU kernels of the neuron family (neuron_cpu.cpp): OpenMP across `threads` workers.
#pragma once

#include <cstdint>

#include "neurons/neuron_args.h"

namespace snn::cpu {

void neuron(const NeuronArgs& args, int threads);
void spike_count(const SpikeCountArgs& args, int threads);
void population_code(const PopulationCodeArgs& args, int threads);
void sum_pool(const SumPoolArgs& args, int threads);
// Index of the first element of x[0, n) that is NaN or outside [lo, hi], or -1 if none.
int64_t find_outside_range(const float* x, int64_t n, float lo, float hi);

}  // namespace snn::cpu
