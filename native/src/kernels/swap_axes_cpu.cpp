// The two leading axes swapped on the CPU (snn_tensor_swap_leading_axes): each output row j gathers
// the inner blocks [i, j, :] of every i, parallel over j.
#include <cstring>

#include "kernels/cpu_kernels.h"

namespace snn::cpu {

void swap_axes(const SwapAxesArgs& a, int threads) {
  const size_t block = static_cast<size_t>(a.inner) * sizeof(float);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && a.cols > 1)
  for (int64_t j = 0; j < a.cols; ++j) {
    for (int64_t i = 0; i < a.rows; ++i) std::memcpy(a.out + (j * a.rows + i) * a.inner, a.in + (i * a.cols + j) * a.inner, block);
  }
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::swap_axes_op, snn::cpu::swap_axes);
