// The value check that precedes kernels whose inputs must lie in a range (Poisson intensities
// in [0, 1], per-neuron decays), so invalid input is rejected before any output is written.
#include <algorithm>

#include "kernels/cpu_kernels.h"

namespace snn::cpu {

int64_t find_outside_range(const float* x, int64_t n, float lo, float hi, int threads) {
  constexpr int64_t kBlock = 4096;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  int64_t first = n;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && blocks > 1) reduction(min : first)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t begin = b * kBlock, end = std::min(n, begin + kBlock);
    int bad = 0;  // vectorised scan; `!(v >= lo && v <= hi)` is also true for NaN
    for (int64_t i = begin; i < end; ++i) bad |= !(x[i] >= lo && x[i] <= hi);
    if (bad) {
      for (int64_t i = begin; i < end; ++i) {
        if (!(x[i] >= lo && x[i] <= hi)) {
          first = std::min(first, i);
          break;
        }
      }
    }
  }
  return first == n ? -1 : first;
}

}  // namespace snn::cpu
