// The connection kernels of each backend (snn/connection.h): CPU in connection_cpu.cpp, CUDA in
// connection.cu. The CUDA declarations are only visible to code compiled against the CUDA runtime.
#pragma once

#include "connections/connection_args.h"

namespace snn::cpu {
// Spike maps (at most half non-zero): conv2d_events. Otherwise few taps per output: a direct
// loop; more: im2col + BLAS sgemm (through cpu::linear) in chunks of images, then a transpose
// into [images, out_channels, out_h, out_w] that also lays the bias down.
void conv2d(const Conv2dArgs& args, int threads);
// The event-driven convolution (conv2d_events_cpu.cpp); false, with nothing written, when the
// input is too dense, the weights are not all finite or SNN_CONV_PATH=dense. SNN_CONV_PATH=events
// forces it regardless of density (tests).
bool conv2d_events(const Conv2dArgs& args, int threads);
void pool2d(const Pool2dArgs& args, int threads);
}  // namespace snn::cpu

#if defined(__CUDACC__) || defined(SNN_CONNECTION_CUDA_DECLS)
#include <cuda_runtime_api.h>
namespace snn::cuda {
cudaError_t conv2d(const Conv2dArgs& args, cudaStream_t stream);
cudaError_t pool2d(const Pool2dArgs& args, cudaStream_t stream);
}  // namespace snn::cuda
#endif
