// CPU and CUDA entry points of the integrate-and-fire kernel (snn/iaf.h).
#pragma once

#include "current_iaf/current_iaf_args.h"

namespace snn::cpu {
void current_iaf(const CurrentIafArgs& args, int threads);
}  // namespace snn::cpu
