// Sparse-input projection on the CPU (linear_sparse_cpu.cpp): output = input @ weight^T + bias
// computed by adding, per input row, the weight columns of its non-zero inputs. Used by
// cpu::linear (linear_cpu.cpp) when the input is sparse enough; see choose_linear_path.
#pragma once

#include <cstdint>

#include "kernels/args.h"

namespace snn::cpu {

enum class LinearPath { kDense, kSparse };

// The path rule, deterministic in the input's values (never in the thread count):
//   - SNN_LINEAR_PATH=dense|sparse in the environment forces a path (benchmarks, tests);
//   - otherwise sparse iff rows >= kSparseMinRows and the density of non-zeros in the sampled
//     rows (every row when rows <= kSparseSampleRows, else kSparseSampleRows evenly spaced rows)
//     is at most kSparseMaxDensity.
// docs/benchmarks-dense-lif.md has the measurements the constants come from.
inline constexpr int64_t kSparseMinRows = 64;
inline constexpr int64_t kSparseSampleRows = 256;
inline constexpr double kSparseMaxDensity = 0.6;

LinearPath choose_linear_path(const LinearArgs& args);

// Runs the sparse path. Returns false, having written nothing, when the weights hold a NaN or
// an infinity: skipping zero inputs would then drop the NaNs that 0 * inf produces, so such
// calls go to the dense path, which keeps IEEE semantics.
bool linear_sparse(const LinearArgs& args, int threads);

}  // namespace snn::cpu
