// CPU kernel of PySNN's neurons (pysnn_neuron_cpu.cpp): OpenMP across `threads` workers.
#pragma once

#include "pysnn/pysnn_neuron_args.h"

namespace snn::cpu {

void pysnn_neuron(const PysnnNeuronArgs& args, int threads);

}  // namespace snn::cpu
