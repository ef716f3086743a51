// CPU kernel of the neurons with traces (trace_neuron_cpu.cpp): OpenMP across `threads` workers.
#pragma once

#include "trace_neurons/trace_neuron_args.h"

namespace snn::cpu {

void trace_neuron(const TraceNeuronArgs& args, int threads);

}  // namespace snn::cpu
