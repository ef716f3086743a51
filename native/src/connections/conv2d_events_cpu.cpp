// The event-driven convolution on the CPU: for spike maps, each non-zero input scatters its
// weights into the outputs it reaches, instead of lowering every image to an im2col matrix.
//
// Why: after a LIF and a pooling, a map is 10-30% spikes. im2col writes taps x positions floats
// per image (nine times the input for 3x3), which for a [T*B] batch of frames is hundreds of MB
// through memory, and a dense direct loop multiplies mostly zeros. Here each task takes one
// (image, group), keeps its outputs channels-last in a buffer that stays in L2 ([positions,
// cout_g]: one spike adds a contiguous run of cout_g weights per tap), then transposes the buffer
// into the output planes.
//
// Order: every output is bias (or 0) plus x * w over the non-zero inputs, in ascending (c, i, j)
// tap order (inputs are visited by (c, iy, ix), and iy, ix grow with i, j), x * w replaced by w
// when x is exactly 1, each operation rounded separately: the bits of the sparse linear path on
// im2col rows. Nothing depends on the thread count or the instruction set.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "connections/connection_kernels.h"
#include "core/env.h"
#include "kernels/sampled_density.h"

namespace snn::cpu {
namespace {

// Above this share of non-zero inputs the im2col + GEMM path is faster (measured on the conv-net
// benchmark's layers: docs/connections.md).
constexpr double kMaxDensity = 0.5;
constexpr int64_t kSampleImages = 64;          // evenly spaced images the density is measured on
constexpr int64_t kMaxAccumulator = 1 << 20;   // floats of one task's [positions, cout_g] buffer

// The taps through which input row (column) `in` reaches the outputs, as (tap, output index)
// pairs in ascending tap order: out * stride - pad + tap * dilation == in. Computed once per call,
// so the scatter loop does no divisions.
struct Reach {
  std::vector<int32_t> start;  // [in + 1]: pairs of input index k are pairs[start[k] .. start[k + 1])
  std::vector<int32_t> tap, out;
};

Reach reach(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
  Reach r;
  r.start.reserve(static_cast<size_t>(in + 1));
  for (int64_t k = 0; k < in; ++k) {
    r.start.push_back(static_cast<int32_t>(r.tap.size()));
    for (int64_t t = 0; t < kernel; ++t) {
      const int64_t num = k + pad - t * dilation;
      if (num < 0) break;  // more negative for every later tap
      if (num % stride != 0 || num / stride >= out) continue;
      r.tap.push_back(static_cast<int32_t>(t));
      r.out.push_back(static_cast<int32_t>(num / stride));
    }
  }
  r.start.push_back(static_cast<int32_t>(r.tap.size()));
  return r;
}

struct Plan {
  const Conv2dArgs& a;
  int64_t cin_g, cout_g, positions;
  const float* wt;  // [groups][cin_g][kernel_h][kernel_w][cout_g]
  const Reach& rows;
  const Reach& cols;
};

// Adds weight run w (cout_g floats) to dst, scaled by v unless v is exactly 1. kWidth > 0 is
// cout_g known at compile time: fully unrolled, no loop overhead for the few vectors of a run.
template <int64_t kWidth>
__attribute__((always_inline)) inline void add_run(float* __restrict__ dst, const float* __restrict__ w, float v,
                                                   int64_t width) {
  const int64_t n = kWidth > 0 ? kWidth : width;
  if (v == 1.0f) {
    for (int64_t o = 0; o < n; ++o) dst[o] = dst[o] + w[o];
  } else {
    for (int64_t o = 0; o < n; ++o) dst[o] = dst[o] + v * w[o];
  }
}

// One (image n, group g): scatter, then transpose into output[n, g * cout_g + o, y, x].
template <int64_t kWidth>
__attribute__((always_inline)) inline void scatter_image(const Plan& p, int64_t n, int64_t g, float* __restrict__ acc) {
  const Conv2dArgs& a = p.a;
  const int64_t cout_g = p.cout_g, kh = a.kernel_h, kw = a.kernel_w;
  for (int64_t q = 0; q < p.positions; ++q) {
    float* row = acc + q * cout_g;
    if (a.bias != nullptr) std::memcpy(row, a.bias + g * cout_g, static_cast<size_t>(cout_g) * sizeof(float));
    else std::fill(row, row + cout_g, 0.0f);
  }
  const float* image = a.input + (n * a.in_channels + g * p.cin_g) * a.in_h * a.in_w;
  for (int64_t c = 0; c < p.cin_g; ++c) {
    const float* plane = image + c * a.in_h * a.in_w;
    const float* wc = p.wt + (g * p.cin_g + c) * kh * kw * cout_g;
    for (int64_t iy = 0; iy < a.in_h; ++iy) {
      for (int64_t ix = 0; ix < a.in_w; ++ix) {
        const float v = plane[iy * a.in_w + ix];
        if (v == 0.0f) continue;
        for (int32_t r = p.rows.start[iy]; r < p.rows.start[iy + 1]; ++r) {
          const int64_t i = p.rows.tap[r], y = p.rows.out[r];
          for (int32_t q = p.cols.start[ix]; q < p.cols.start[ix + 1]; ++q) {
            add_run<kWidth>(acc + (y * a.out_w + p.cols.out[q]) * cout_g, wc + (i * kw + p.cols.tap[q]) * cout_g, v,
                            cout_g);
          }
        }
      }
    }
  }
  float* out = a.output + (n * a.out_channels + g * cout_g) * p.positions;
  for (int64_t o = 0; o < cout_g; ++o) {
    for (int64_t q = 0; q < p.positions; ++q) out[o * p.positions + q] = acc[q * cout_g + o];
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void scatter(const Plan& p, int64_t n, int64_t g,
                                                                          float* acc) {
  switch (p.cout_g) {
    case 8: scatter_image<8>(p, n, g, acc); break;
    case 16: scatter_image<16>(p, n, g, acc); break;
    case 32: scatter_image<32>(p, n, g, acc); break;
    case 64: scatter_image<64>(p, n, g, acc); break;
    default: scatter_image<0>(p, n, g, acc); break;
  }
}

}  // namespace

bool conv2d_events(const Conv2dArgs& a, int threads) {
  if (env_is("SNN_CONV_PATH", "dense")) return false;
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t positions = a.out_h * a.out_w;
  const int64_t taps = cin_g * a.kernel_h * a.kernel_w;
  if (a.images == 0 || positions == 0 || cout_g == 0 || taps == 0) return false;
  if (positions * cout_g > kMaxAccumulator) return false;
  const int64_t per_image = a.in_channels * a.in_h * a.in_w;
  if (!env_is("SNN_CONV_PATH", "events") && sampled_density(a.input, a.images, per_image, kSampleImages) > kMaxDensity) {
    return false;
  }
  const int64_t weights = a.out_channels * taps;
  for (int64_t k = 0; k < weights; ++k) {
    if (!std::isfinite(a.weight[k])) return false;  // skipping 0 * inf would hide the dense path's NaN
  }
  // Everything allocated before the parallel region: nothing may throw inside it.
  std::vector<float> wt(static_cast<size_t>(weights));
  for (int64_t g = 0; g < a.groups; ++g)
    for (int64_t o = 0; o < cout_g; ++o)
      for (int64_t t = 0; t < taps; ++t)
        wt[static_cast<size_t>((g * taps + t) * cout_g + o)] = a.weight[(g * cout_g + o) * taps + t];
  const int team = std::max(threads, 1);
  std::vector<float> acc(static_cast<size_t>(team * positions * cout_g));
  const Reach rows = reach(a.in_h, a.out_h, a.kernel_h, a.stride_h, a.pad_h, a.dilation_h);
  const Reach cols = reach(a.in_w, a.out_w, a.kernel_w, a.stride_w, a.pad_w, a.dilation_w);
  const Plan plan{a, cin_g, cout_g, positions, wt.data(), rows, cols};
  const int64_t items = a.images * a.groups;
#pragma omp parallel for schedule(static) num_threads(team) if (team > 1 && items > 1)
  for (int64_t k = 0; k < items; ++k) {
    scatter(plan, k / a.groups, k % a.groups, acc.data() + omp_get_thread_num() * positions * cout_g);
  }
  return true;
}

}  // namespace snn::cpu
