// Connection kernels on the CPU. The convolution lowers each chunk of images to a matrix whose
// rows are output positions and whose columns are the (channel, kernel row, kernel column) taps
// of one group (im2col), multiplies it by the group's weights with the BLAS sgemm of
// cpu::linear, and transposes the [positions, out_channels] product into the output planes.
// Pooling runs plane by plane with the window bounds computed once per call.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "connections/connection_kernels.h"
#include "kernels/cpu_kernels.h"

namespace snn::cpu {
namespace {
// Bounds the im2col buffer of one chunk (floats): 8 Mi floats = 32 MiB.
constexpr int64_t kColumnBudget = int64_t{8} << 20;
}  // namespace

namespace {

// The direct convolution for few taps per output (a first layer such as 1 -> 16 channels, 3x3): each
// (image, output channel) plane stays in cache while every tap adds a shifted, scaled input row
// to each output row, a loop gcc vectorises for stride 1. No im2col buffer, no transpose.
void conv2d_direct(const Conv2dArgs& a, int threads) {
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t in_plane = a.in_h * a.in_w, out_plane = a.out_h * a.out_w;
  const int64_t planes = a.images * a.out_channels;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && planes > 1)
  for (int64_t q = 0; q < planes; ++q) {
    const int64_t n = q / a.out_channels, o = q % a.out_channels;
    float* out = a.output + q * out_plane;
    const float b = a.bias != nullptr ? a.bias[o] : 0.0f;
    for (int64_t e = 0; e < out_plane; ++e) out[e] = b;
    const float* image = a.input + (n * a.in_channels + (o / cout_g) * cin_g) * in_plane;
    const float* w = a.weight + o * cin_g * a.kernel_h * a.kernel_w;
    for (int64_t c = 0; c < cin_g; ++c) {
      for (int64_t i = 0; i < a.kernel_h; ++i) {
        for (int64_t j = 0; j < a.kernel_w; ++j) {
          const float wv = w[(c * a.kernel_h + i) * a.kernel_w + j];
          const int64_t shift = j * a.dilation_w - a.pad_w;  // ix = x * stride_w + shift
          // Columns whose tap lies inside the image: 0 <= x * stride_w + shift < in_w.
          int64_t x0 = shift >= 0 ? 0 : (-shift + a.stride_w - 1) / a.stride_w;
          int64_t x1 = a.in_w - 1 - shift < 0 ? 0 : (a.in_w - 1 - shift) / a.stride_w + 1;
          if (x1 > a.out_w) x1 = a.out_w;
          if (x0 >= x1) continue;
          for (int64_t y = 0; y < a.out_h; ++y) {
            const int64_t iy = y * a.stride_h - a.pad_h + i * a.dilation_h;
            if (iy < 0 || iy >= a.in_h) continue;
            const float* src = image + c * in_plane + iy * a.in_w + shift;
            float* dst = out + y * a.out_w;
            if (a.stride_w == 1) {
              for (int64_t x = x0; x < x1; ++x) dst[x] += wv * src[x];
            } else {
              for (int64_t x = x0; x < x1; ++x) dst[x] += wv * src[x * a.stride_w];
            }
          }
        }
      }
    }
  }
}

// Up to this many taps per output the direct loop beats im2col + GEMM (measured on the 1 -> 16, 3x3
// layer of the conv-net benchmark: docs/connections.md).
constexpr int64_t kDirectMaxTaps = 32;

}  // namespace

void conv2d(const Conv2dArgs& a, int threads) {
  if (conv2d_events(a, threads)) return;
  if ((a.in_channels / a.groups) * a.kernel_h * a.kernel_w <= kDirectMaxTaps) {
    conv2d_direct(a, threads);
    return;
  }
  const int64_t positions = a.out_h * a.out_w;
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t taps = cin_g * a.kernel_h * a.kernel_w;  // K of the GEMM
  const int64_t in_plane = a.in_h * a.in_w;
  if (a.images == 0 || positions == 0 || a.out_channels == 0) return;
  const int64_t per_image = positions * std::max(taps, cout_g);
  const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(a.images, kColumnBudget / std::max<int64_t>(per_image, 1)));
  // Scratch kept per calling thread and only grown: a fresh 32 MiB buffer per call costs thousands of
  // page faults (about 10 us each in our VMs), more than the GEMM on spike inputs.
  thread_local std::vector<float> columns_scratch, product_scratch;
  if (columns_scratch.size() < static_cast<size_t>(chunk * positions * taps)) {
    columns_scratch.resize(static_cast<size_t>(chunk * positions * taps));
  }
  if (product_scratch.size() < static_cast<size_t>(chunk * positions * cout_g)) {
    product_scratch.resize(static_cast<size_t>(chunk * positions * cout_g));
  }
  std::vector<float>& columns = columns_scratch;
  std::vector<float>& product = product_scratch;
  const bool parallel = threads > 1;

  for (int64_t first = 0; first < a.images; first += chunk) {
    const int64_t count = std::min(chunk, a.images - first);
    for (int64_t g = 0; g < a.groups; ++g) {
      // im2col: row (n, y, x), column (c, i, j).
#pragma omp parallel for collapse(2) schedule(static) num_threads(threads) if (parallel)
      for (int64_t n = 0; n < count; ++n) {
        for (int64_t y = 0; y < a.out_h; ++y) {
          const float* image = a.input + ((first + n) * a.in_channels + g * cin_g) * in_plane;
          float* row = columns.data() + ((n * a.out_h + y) * a.out_w) * taps;
          for (int64_t x = 0; x < a.out_w; ++x, row += taps) {
            int64_t k = 0;
            for (int64_t c = 0; c < cin_g; ++c) {
              const float* plane = image + c * in_plane;
              for (int64_t i = 0; i < a.kernel_h; ++i) {
                const int64_t iy = y * a.stride_h - a.pad_h + i * a.dilation_h;
                const bool row_in = iy >= 0 && iy < a.in_h;
                for (int64_t j = 0; j < a.kernel_w; ++j, ++k) {
                  const int64_t ix = x * a.stride_w - a.pad_w + j * a.dilation_w;
                  row[k] = row_in && ix >= 0 && ix < a.in_w ? plane[iy * a.in_w + ix] : 0.0f;
                }
              }
            }
          }
        }
      }
      LinearArgs gemm{};
      gemm.input = columns.data();
      gemm.weight = a.weight + g * cout_g * taps;
      gemm.bias = a.bias != nullptr ? a.bias + g * cout_g : nullptr;
      gemm.output = product.data();
      gemm.rows = count * positions;
      gemm.outputs = cout_g;
      gemm.inputs = taps;
      linear(gemm, threads);
      // [n, position, o] -> output[first + n, g * cout_g + o, position]
#pragma omp parallel for collapse(2) schedule(static) num_threads(threads) if (parallel)
      for (int64_t n = 0; n < count; ++n) {
        for (int64_t o = 0; o < cout_g; ++o) {
          const float* src = product.data() + n * positions * cout_g + o;
          float* dst = a.output + ((first + n) * a.out_channels + g * cout_g + o) * positions;
          for (int64_t q = 0; q < positions; ++q) dst[q] = src[q * cout_g];
        }
      }
    }
  }
}

namespace {

// The input rows (or columns) one output row (column) of a pooling reads, clipped to the image:
// begin, begin + step, ... < end. The same cells, in the same order, as pool2d_element visits.
struct Span {
  int64_t begin, end, step;
};

std::vector<Span> pool_spans(const Pool2dArgs& a, bool rows) {
  const int64_t in = rows ? a.in_h : a.in_w, out = rows ? a.out_h : a.out_w;
  std::vector<Span> spans(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    if (a.mode == PoolMode::kAdaptiveMax) {
      spans[static_cast<size_t>(o)] = {conn::adaptive_start(o, in, out), conn::adaptive_end(o, in, out), 1};
      continue;
    }
    const int64_t stride = rows ? a.stride_h : a.stride_w, pad = rows ? a.pad_h : a.pad_w;
    const int64_t size = rows ? a.kernel_h : a.kernel_w;
    const int64_t step = a.mode == PoolMode::kMax ? (rows ? a.dilation_h : a.dilation_w) : 1;
    const int64_t start = o * stride - pad;
    const int64_t first = start >= 0 ? 0 : (-start + step - 1) / step;                 // first tap inside
    const int64_t last = in - 1 - start < 0 ? -1 : std::min(size - 1, (in - 1 - start) / step);  // last tap inside
    spans[static_cast<size_t>(o)] = first <= last ? Span{start + first * step, start + last * step + 1, step}
                                                  : Span{0, 0, 1};
  }
  return spans;
}

// One plane with the window bounds computed once per call: no divisions or bounds checks per cell.
void pool_plane(const Pool2dArgs& a, const std::vector<Span>& rows, const std::vector<Span>& cols, int64_t p) {
  const int64_t in_plane = a.in_h * a.in_w, out_plane = a.out_h * a.out_w;
  const float* plane = a.input + p * in_plane;
  const float* trace = a.trace != nullptr ? a.trace + p * in_plane : nullptr;
  float* out = a.output + p * out_plane;
  float* trace_out = a.trace_out != nullptr ? a.trace_out + p * out_plane : nullptr;
  const float window = static_cast<float>(a.kernel_h * a.kernel_w);
  for (int64_t y = 0; y < a.out_h; ++y) {
    const Span r = rows[static_cast<size_t>(y)];
    for (int64_t x = 0; x < a.out_w; ++x) {
      const Span c = cols[static_cast<size_t>(x)];
      const int64_t o = y * a.out_w + x;
      if (a.mode == PoolMode::kAverage) {
        float sum = 0.0f;
        int64_t inside = 0;
        for (int64_t iy = r.begin; iy < r.end; ++iy) {
          for (int64_t ix = c.begin; ix < c.end; ++ix) sum = sum + plane[iy * a.in_w + ix];
          inside += c.end - c.begin;
        }
        const float divisor = a.count_include_pad ? window : static_cast<float>(inside);
        out[o] = divisor > 0.0f ? sum / divisor : 0.0f;
        continue;
      }
      float best = -INFINITY;
      int64_t winner = -1;
      for (int64_t iy = r.begin; iy < r.end; iy += r.step) {
        for (int64_t ix = c.begin; ix < c.end; ix += c.step) {
          // Selects, not branches: on spike maps the comparison is a coin toss the predictor loses.
          const float v = plane[iy * a.in_w + ix];
          const bool take = (winner < 0) | (v > best) | std::isnan(v);
          best = take ? v : best;
          winner = take ? iy * a.in_w + ix : winner;
        }
      }
      out[o] = best;
      if (trace_out != nullptr) trace_out[o] = winner >= 0 ? trace[winner] : 0.0f;
    }
  }
}

// The common spike-map case, 2x2 windows at stride 2 without padding, dilation or trace: the
// same selects as pool_plane on four fixed cells, a loop gcc vectorises.
__attribute__((target_clones("avx512f", "avx2", "default"))) void max_pool_2x2(const Pool2dArgs& a, int64_t p) {
  const float* plane = a.input + p * a.in_h * a.in_w;
  float* out = a.output + p * a.out_h * a.out_w;
  for (int64_t y = 0; y < a.out_h; ++y) {
    const float* __restrict__ r0 = plane + 2 * y * a.in_w;
    const float* __restrict__ r1 = r0 + a.in_w;
    float* __restrict__ o = out + y * a.out_w;
    for (int64_t x = 0; x < a.out_w; ++x) {
      float best = r0[2 * x];
      const float cells[3] = {r0[2 * x + 1], r1[2 * x], r1[2 * x + 1]};
      for (const float v : cells) best = (v > best) | std::isnan(v) ? v : best;
      o[x] = best;
    }
  }
}

bool is_plain_2x2(const Pool2dArgs& a) {
  return a.mode == PoolMode::kMax && a.trace_out == nullptr && a.kernel_h == 2 && a.kernel_w == 2 &&
         a.stride_h == 2 && a.stride_w == 2 && a.pad_h == 0 && a.pad_w == 0 && a.dilation_h == 1 &&
         a.dilation_w == 1 && 2 * a.out_h <= a.in_h && 2 * a.out_w <= a.in_w;
}

}  // namespace

// The CPU runs whole planes (pool2d_element, the CUDA kernel's per-element code, recomputes every
// window's bounds with divisions, which made pooling cost as much as the convolutions here).
void pool2d(const Pool2dArgs& a, int threads) {
  if (a.planes == 0 || a.out_h == 0 || a.out_w == 0) return;
  if (is_plain_2x2(a)) {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && a.planes * a.out_h * a.out_w > 4096)
    for (int64_t p = 0; p < a.planes; ++p) max_pool_2x2(a, p);
    return;
  }
  const std::vector<Span> rows = pool_spans(a, true), cols = pool_spans(a, false);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && a.planes * a.out_h * a.out_w > 4096)
  for (int64_t p = 0; p < a.planes; ++p) pool_plane(a, rows, cols, p);
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::conv2d_op, snn::cpu::conv2d);
SNN_REGISTER_CPU_KERNEL(snn::pool2d_op, snn::cpu::pool2d);
