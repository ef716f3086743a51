// CPU kernels of the neuron family (neuron_cpu.cpp): OpenMP across `threads` workers.
#pragma once

#include <cstdint>

#include "neurons/neuron_args.h"

namespace snn::cpu {

void neuron(const NeuronArgs& args, int threads);
void spike_count(const SpikeCountArgs& args, int threads);
void population_code(const PopulationCodeArgs& args, int threads);
void sum_pool(const SumPoolArgs& args, int threads);

}  // namespace snn::cpu
