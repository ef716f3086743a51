// Connection kernels on the CPU. The convolution lowers each chunk of images to a matrix whose
// rows are output positions and whose columns are the (channel, kernel row, kernel column) taps
// of one group (im2col), multiplies it by the group's weights with the BLAS sgemm of
// cpu::linear, and transposes the [positions, out_channels] product into the output planes.
// Pooling runs the shared per-element code of connection_args.h over all outputs with OpenMP.
#include <algorithm>
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

void pool2d(const Pool2dArgs& a, int threads) {
  const int64_t total = a.planes * a.out_h * a.out_w;
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && total > 4096)
  for (int64_t o = 0; o < total; ++o) conn::pool2d_element(a, o);
}

}  // namespace snn::cpu
