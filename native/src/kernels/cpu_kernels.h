// CPU kernels: OpenMP across `threads` workers, inner loops written for gcc's vectoriser.
// Every kernel computes each output element independently of how work is split, so results
// are bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/args.h"

namespace snn::cpu {

void uniform(const UniformArgs& args, int threads);
void random_fill(const RandomFillArgs& args, int threads);
// snn_distribution's rescaling of n float32 draws in place (snn/random.h); false when normalising
// draws that sum to 0.
bool rescale_draws(float* values, int64_t n, bool normalize, double normalize_to, double shift_by_max);
int64_t find_outside_range(const float* x, int64_t n, float lo, float hi, int threads);
void poisson(const PoissonArgs& args, int threads);
void fill(void* dst, size_t count, size_t element_size, const void* pattern, int threads);
void add(float* acc, const float* x, int64_t n, int threads);
void scale_columns(const ScaleColumnsArgs& args, int threads);
void swap_axes(const SwapAxesArgs& args, int threads);
// BLAS sgemm; `threads` sets OpenBLAS's thread count for the call.
void linear(const LinearArgs& args, int threads);

}  // namespace snn::cpu
