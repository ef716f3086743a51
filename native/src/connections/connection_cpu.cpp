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

void conv2d(const Conv2dArgs& a, int threads) {
  const int64_t positions = a.out_h * a.out_w;
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t taps = cin_g * a.kernel_h * a.kernel_w;  // K of the GEMM
  const int64_t in_plane = a.in_h * a.in_w;
  if (a.images == 0 || positions == 0 || a.out_channels == 0) return;
  const int64_t per_image = positions * std::max(taps, cout_g);
  const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(a.images, kColumnBudget / std::max<int64_t>(per_image, 1)));
  std::vector<float> columns(static_cast<size_t>(chunk * positions * taps));
  std::vector<float> product(static_cast<size_t>(chunk * positions * cout_g));
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
