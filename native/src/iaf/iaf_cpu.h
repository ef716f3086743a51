// CPU and CUDA entry points of the integrate-and-fire kernel (snn/iaf.h).
#pragma once

#include "iaf/iaf_args.h"

namespace snn::cpu {
void iaf(const IafArgs& args, int threads);
}  // namespace snn::cpu
