// snn_tensor_fill on the CPU (a typed broadcast of one 1-, 4- or 8-byte pattern) and
// snn_tensor_add (element-wise accumulation), and per-column gains (the neuron family's input scale).
#include <cstring>

#include "kernels/cpu_kernels.h"

namespace snn::cpu {
namespace {
template <class T>
void fill_typed(void* dst, size_t count, const void* pattern, int threads) {
  T value;
  std::memcpy(&value, pattern, sizeof(T));
  T* out = static_cast<T*>(dst);
  const int64_t n = static_cast<int64_t>(count);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n > (int64_t{1} << 16))
  for (int64_t i = 0; i < n; ++i) out[i] = value;
}
}  // namespace

void fill(void* dst, size_t count, size_t element_size, const void* pattern, int threads) {
  switch (element_size) {
    case 1: fill_typed<uint8_t>(dst, count, pattern, threads); break;
    case 4: fill_typed<uint32_t>(dst, count, pattern, threads); break;
    case 8: fill_typed<uint64_t>(dst, count, pattern, threads); break;
    default: break;  // unreachable: element sizes come from dtype_size()
  }
}

void add(float* acc, const float* x, int64_t n, int threads) {
#pragma omp parallel for simd schedule(static) num_threads(threads) if (threads > 1 && n > (int64_t{1} << 16))
  for (int64_t i = 0; i < n; ++i) acc[i] += x[i];
}

void scale_columns(const ScaleColumnsArgs& a, int threads) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && a.rows * a.cols > (int64_t{1} << 16))
  for (int64_t r = 0; r < a.rows; ++r) {
    const float* __restrict__ x = a.x + r * a.cols;
    float* __restrict__ o = a.out + r * a.cols;
    for (int64_t c = 0; c < a.cols; ++c) o[c] = a.scale[c] * x[c];
  }
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::scale_columns_op, snn::cpu::scale_columns);
