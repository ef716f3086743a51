// Argument blocks of the connection kernels (snn/connection.h) and the per-output-element
// arithmetic of pooling and of the direct convolution, written once for g++ (CPU kernels) and
// nvcc (CUDA kernels). Pointers are device addresses; the API layer validated everything.
#pragma once

#include <math.h>
#include <stdint.h>

#include "core/inline.h"
#include "device/operation.h"

namespace snn {

// output[n, o, y, x] = bias[o] + sum_{c, i, j} weight[o, c, i, j] * input[n, g * cin_g + c, iy, ix].
struct Conv2dArgs {
  const float* input;   // [images, in_channels, in_h, in_w]
  const float* weight;  // [out_channels, in_channels / groups, kernel_h, kernel_w]
  const float* bias;    // [out_channels] or nullptr
  float* output;        // [images, out_channels, out_h, out_w]
  int64_t images;
  int64_t in_channels, in_h, in_w;
  int64_t out_channels, out_h, out_w;
  int64_t kernel_h, kernel_w;
  int64_t stride_h, stride_w;
  int64_t pad_h, pad_w;
  int64_t dilation_h, dilation_w;
  int64_t groups;
};

enum class PoolMode : int32_t { kMax = 0, kAdaptiveMax = 1, kAverage = 2 };

// One pooled plane per (image, channel); the max modes also gather the winner's trace.
struct Pool2dArgs {
  const float* input;  // [planes, in_h, in_w]
  const float* trace;  // same shape or nullptr (max modes only)
  float* output;       // [planes, out_h, out_w]
  float* trace_out;    // same shape or nullptr
  PoolMode mode;
  int64_t planes;
  int64_t in_h, in_w, out_h, out_w;
  int64_t kernel_h, kernel_w;  // kMax, kAverage
  int64_t stride_h, stride_w;
  int64_t pad_h, pad_w;
  int64_t dilation_h, dilation_w;  // kMax
  bool count_include_pad;          // kAverage
};

namespace conn {

// The direct convolution of one output element, summing in (c, i, j) order. CUDA kernel only;
// the CPU computes the same sum with im2col and BLAS.
SNN_INLINE float conv2d_element(const Conv2dArgs& a, int64_t o) {
  const int64_t x = o % a.out_w;
  int64_t rest = o / a.out_w;
  const int64_t y = rest % a.out_h;
  rest /= a.out_h;
  const int64_t oc = rest % a.out_channels;
  const int64_t n = rest / a.out_channels;
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t c0 = (oc / cout_g) * cin_g;
  float acc = a.bias != nullptr ? a.bias[oc] : 0.0f;
  const float* w = a.weight + oc * cin_g * a.kernel_h * a.kernel_w;
  for (int64_t c = 0; c < cin_g; ++c) {
    const float* plane = a.input + (n * a.in_channels + c0 + c) * a.in_h * a.in_w;
    for (int64_t i = 0; i < a.kernel_h; ++i) {
      const int64_t iy = y * a.stride_h - a.pad_h + i * a.dilation_h;
      for (int64_t j = 0; j < a.kernel_w; ++j) {
        const int64_t ix = x * a.stride_w - a.pad_w + j * a.dilation_w;
        const float wv = w[(c * a.kernel_h + i) * a.kernel_w + j];
        if (iy >= 0 && iy < a.in_h && ix >= 0 && ix < a.in_w) acc = acc + wv * plane[iy * a.in_w + ix];
      }
    }
  }
  return acc;
}

// PyTorch's adaptive bins: [floor(i * in / out), ceil((i + 1) * in / out)).
SNN_INLINE int64_t adaptive_start(int64_t i, int64_t in, int64_t out) { return (i * in) / out; }
SNN_INLINE int64_t adaptive_end(int64_t i, int64_t in, int64_t out) { return ((i + 1) * in + out - 1) / out; }

// One output element o of a pooling: writes output[o] and, for the max modes with a trace,
// trace_out[o]. The max takes the first position (row-major in the window) unless a later one is
// strictly greater or NaN, PyTorch's comparison, so ties go to the top-left spike.
SNN_INLINE void pool2d_element(const Pool2dArgs& a, int64_t o) {
  const int64_t x = o % a.out_w;
  const int64_t y = (o / a.out_w) % a.out_h;
  const int64_t p = o / (a.out_w * a.out_h);
  const float* plane = a.input + p * a.in_h * a.in_w;
  if (a.mode == PoolMode::kAverage) {
    const int64_t y0 = y * a.stride_h - a.pad_h, x0 = x * a.stride_w - a.pad_w;
    float sum = 0.0f;
    int64_t inside = 0;
    for (int64_t i = 0; i < a.kernel_h; ++i) {
      const int64_t iy = y0 + i;
      if (iy < 0 || iy >= a.in_h) continue;
      for (int64_t j = 0; j < a.kernel_w; ++j) {
        const int64_t ix = x0 + j;
        if (ix < 0 || ix >= a.in_w) continue;
        sum = sum + plane[iy * a.in_w + ix];
        ++inside;
      }
    }
    const int64_t divisor = a.count_include_pad ? a.kernel_h * a.kernel_w : inside;
    a.output[o] = divisor > 0 ? sum / static_cast<float>(divisor) : 0.0f;
    return;
  }
  int64_t y0, y1, x0, x1, step_h, step_w;
  if (a.mode == PoolMode::kAdaptiveMax) {
    y0 = adaptive_start(y, a.in_h, a.out_h);
    y1 = adaptive_end(y, a.in_h, a.out_h);
    x0 = adaptive_start(x, a.in_w, a.out_w);
    x1 = adaptive_end(x, a.in_w, a.out_w);
    step_h = step_w = 1;
  } else {
    y0 = y * a.stride_h - a.pad_h;
    x0 = x * a.stride_w - a.pad_w;
    y1 = y0 + (a.kernel_h - 1) * a.dilation_h + 1;
    x1 = x0 + (a.kernel_w - 1) * a.dilation_w + 1;
    step_h = a.dilation_h;
    step_w = a.dilation_w;
  }
  float best = -INFINITY;
  int64_t winner = -1;
  for (int64_t iy = y0; iy < y1; iy += step_h) {
    if (iy < 0 || iy >= a.in_h) continue;
    for (int64_t ix = x0; ix < x1; ix += step_w) {
      if (ix < 0 || ix >= a.in_w) continue;
      const float v = plane[iy * a.in_w + ix];
      if (winner < 0 || v > best || isnan(v)) {
        best = v;
        winner = iy * a.in_w + ix;
      }
    }
  }
  a.output[o] = best;
  if (a.trace_out != nullptr) a.trace_out[o] = winner >= 0 ? a.trace[p * a.in_h * a.in_w + winner] : 0.0f;
}

}  // namespace conn
// The connection kernels as operations (device/operation.h).
inline Operation<Conv2dArgs> conv2d_op{"conv2d"};
inline Operation<Pool2dArgs> pool2d_op{"pool2d"};

}  // namespace snn
