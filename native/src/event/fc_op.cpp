// Registers fc_forward_cpu (fc_cpu.cpp) as the CPU kernel of fc_forward_op, on the device's threads.
#include "event/fc_op.h"

namespace snn::event {
namespace {

void fc_forward(const FcForwardArgs& a, int threads) { fc_forward_cpu(a.layer, a.input, threads, *a.scratch, *a.output); }

}  // namespace
}  // namespace snn::event

SNN_REGISTER_CPU_KERNEL(snn::event::fc_forward_op, snn::event::fc_forward);
