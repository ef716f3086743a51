// CUDA launcher of the integrate-and-fire kernel (iaf.cu). Enqueues work on `stream` and returns
// the launch status; nothing here synchronises.
#pragma once

#include <cuda_runtime_api.h>

#include "current_iaf/current_iaf_args.h"

namespace snn::cuda {
cudaError_t current_iaf(const CurrentIafArgs& args, cudaStream_t stream);
}  // namespace snn::cuda
