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
#include "connections/conv_neuron_pool_args.h"
#include "neurons/neuron_cpu.h"
#include "neurons/neuron_step.h"
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

// Whether the event-driven path takes this convolution (the rule conv2d_events and the fused
// conv2d_neuron_pool share, so that both pick the same path, and so the same bits, for one input).
bool events_apply(const Conv2dArgs& a) {
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
  return true;
}

// The weights as runs of cout_g output channels per (group, input channel, tap).
std::vector<float> weight_runs(const Conv2dArgs& a) {
  const int64_t cout_g = a.out_channels / a.groups, taps = a.in_channels / a.groups * a.kernel_h * a.kernel_w;
  std::vector<float> wt(static_cast<size_t>(a.out_channels * taps));
  for (int64_t g = 0; g < a.groups; ++g)
    for (int64_t o = 0; o < cout_g; ++o)
      for (int64_t t = 0; t < taps; ++t)
        wt[static_cast<size_t>((g * taps + t) * cout_g + o)] = a.weight[(g * cout_g + o) * taps + t];
  return wt;
}

}  // namespace

bool conv2d_events(const Conv2dArgs& a, int threads) {
  if (!events_apply(a)) return false;
  const int64_t cin_g = a.in_channels / a.groups, cout_g = a.out_channels / a.groups;
  const int64_t positions = a.out_h * a.out_w;
  // Everything allocated before the parallel region: nothing may throw inside it.
  const std::vector<float> wt = weight_runs(a);
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


// ---- The fused convolution -> neurons -> max pooling (snn_conv2d_neuron_pool_forward) ----------------------------
//
// Why: run as three layers, a block of T*B frames makes three trips through memory (the convolution's output,
// the spikes, the pooled spikes: about 200 MB per 80 steps of the conv benchmark's first layer) and three
// hand-overs to the worker threads. Here one task owns one sample (or, when there are fewer samples than
// threads, a share of its output channels) and walks its steps in order: each frame's convolution, the neuron
// step and the pooling happen in two buffers of [positions, channels] that stay in L2, and only the pooled
// spikes are written. The arithmetic is that of the three kernels, operation for operation: the scatter of
// conv2d_events, neuron::step, and the max of a window; so the output is bit-identical to the layers run one
// after the other, at any thread count.
namespace {

struct Fused {
  const ConvNeuronPoolArgs& a;
  const float* wt;  // weight_runs: [cin][kh][kw][cout]
  const Reach& rows;
  const Reach& cols;
  int64_t positions, part;  // part: output channels per task
};

template <int64_t kWidth, NeuronModel M, SpikeTiming TM>
__attribute__((always_inline)) inline void fused_task(const Fused& f, int64_t b, int64_t c0, float* __restrict__ acc,
                                                      float* __restrict__ mem, float* __restrict__ pooled,
                                                      int32_t* __restrict__ nonzero) {
  const ConvNeuronPoolArgs& a = f.a;
  const Conv2dArgs& cv = a.conv;
  const int64_t cw = f.part, cout = cv.out_channels, positions = f.positions, n = positions * cw;
  const int64_t kh = cv.kernel_h, kw = cv.kernel_w, in_plane = cv.in_h * cv.in_w;
  const int64_t neurons = cout * positions, k = a.pool, ph = a.pool_h, pw = a.pool_w, out_plane = ph * pw;
  const neuron::StepConfig cfg{a.threshold, 1.0f, 0.0f, a.reset, a.inclusive};
  const float beta = a.beta;
  for (int64_t o = 0; o < cw; ++o)
    for (int64_t q = 0; q < positions; ++q) mem[q * cw + o] = a.membrane[b * neurons + (c0 + o) * positions + q];
  for (int64_t t = 0; t < a.steps; ++t) {
    const int64_t frame = t * a.batch + b;
    // The convolution of the frame: bias, then every non-zero input's weight runs in (c, iy, ix) order.
    for (int64_t q = 0; q < positions; ++q) {
      float* row = acc + q * cw;
      if (cv.bias != nullptr) std::memcpy(row, cv.bias + c0, static_cast<size_t>(cw) * sizeof(float));
      else std::fill(row, row + cw, 0.0f);
    }
    const float* image = cv.input + frame * cv.in_channels * in_plane;
    for (int64_t c = 0; c < cv.in_channels; ++c) {
      const float* plane = image + c * in_plane;
      const float* wc = f.wt + c * kh * kw * cout + c0;
      for (int64_t iy = 0; iy < cv.in_h; ++iy) {
        // The row's non-zero columns, in ascending order, gathered without a branch per pixel: at spike
        // densities of 10-30% that branch is a coin toss the predictor loses.
        const float* row = plane + iy * cv.in_w;
        int64_t count = 0;
        for (int64_t ix = 0; ix < cv.in_w; ++ix) {
          nonzero[count] = static_cast<int32_t>(ix);
          count += row[ix] != 0.0f;
        }
        for (int64_t e = 0; e < count; ++e) {
          const int64_t ix = nonzero[e];
          const float v = row[ix];
          for (int32_t r = f.rows.start[iy]; r < f.rows.start[iy + 1]; ++r) {
            const int64_t i = f.rows.tap[r], y = f.rows.out[r];
            for (int32_t q = f.cols.start[ix]; q < f.cols.start[ix + 1]; ++q) {
              add_run<kWidth>(acc + (y * cv.out_w + f.cols.out[q]) * cw, wc + (i * kw + f.cols.tap[q]) * cout, v, cw);
            }
          }
        }
      }
    }
    // The neurons, in place: acc becomes the frame's spikes.
    for (int64_t j = 0; j < n; ++j) {
      neuron::Cell s{mem[j], 0.0f, 0.0f, 0.0f};
      float membrane;
      acc[j] = neuron::step<M, TM, false, false>(acc[j], 0.0f, 0.0f, beta, 0.0f, cfg, s, membrane);
      mem[j] = s.v;
    }
    // The pooling: the first position of the window unless a later one is greater (or NaN).
    const float* spikes = acc;
    if (k > 1) {
      for (int64_t py = 0; py < ph; ++py) {
        for (int64_t px = 0; px < pw; ++px) {
          float* __restrict__ best = pooled + (py * pw + px) * cw;
          const float* first = acc + (py * k * cv.out_w + px * k) * cw;
          for (int64_t o = 0; o < cw; ++o) best[o] = first[o];
          for (int64_t wy = 0; wy < k; ++wy) {
            for (int64_t wx = wy == 0 ? 1 : 0; wx < k; ++wx) {
              const float* src = acc + ((py * k + wy) * cv.out_w + px * k + wx) * cw;
              for (int64_t o = 0; o < cw; ++o) best[o] = (src[o] > best[o] || src[o] != src[o]) ? src[o] : best[o];
            }
          }
        }
      }
      spikes = pooled;
    }
    float* out = a.output + (frame * cout + c0) * out_plane;
    for (int64_t o = 0; o < cw; ++o)
      for (int64_t q = 0; q < out_plane; ++q) out[o * out_plane + q] = spikes[q * cw + o];
  }
  for (int64_t o = 0; o < cw; ++o)
    for (int64_t q = 0; q < positions; ++q) a.membrane[b * neurons + (c0 + o) * positions + q] = mem[q * cw + o];
}

template <NeuronModel M, SpikeTiming TM>
__attribute__((always_inline)) inline void fused_width(const Fused& f, int64_t b, int64_t c0, float* acc, float* mem,
                                                       float* pooled, int32_t* nonzero) {
  switch (f.part) {
    case 8: fused_task<8, M, TM>(f, b, c0, acc, mem, pooled, nonzero); break;
    case 16: fused_task<16, M, TM>(f, b, c0, acc, mem, pooled, nonzero); break;
    case 32: fused_task<32, M, TM>(f, b, c0, acc, mem, pooled, nonzero); break;
    case 64: fused_task<64, M, TM>(f, b, c0, acc, mem, pooled, nonzero); break;
    default: fused_task<0, M, TM>(f, b, c0, acc, mem, pooled, nonzero); break;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void fused(const Fused& f, int64_t b, int64_t c0,
                                                                        float* acc, float* mem, float* pooled,
                                                                        int32_t* nonzero) {
  const bool lif = f.a.model == NeuronModel::kLif, before = f.a.timing == SpikeTiming::kBeforeInput;
  if (lif && before) fused_width<NeuronModel::kLif, SpikeTiming::kBeforeInput>(f, b, c0, acc, mem, pooled, nonzero);
  else if (lif) fused_width<NeuronModel::kLif, SpikeTiming::kAfterInput>(f, b, c0, acc, mem, pooled, nonzero);
  else if (before) fused_width<NeuronModel::kIf, SpikeTiming::kBeforeInput>(f, b, c0, acc, mem, pooled, nonzero);
  else fused_width<NeuronModel::kIf, SpikeTiming::kAfterInput>(f, b, c0, acc, mem, pooled, nonzero);
}

// Inputs the event-driven path does not take (dense, or weights not all finite): the three kernels one after
// the other, on temporaries, which is exactly what the separate layers compute.
void unfused(const ConvNeuronPoolArgs& a, int threads) {
  const Conv2dArgs& cv = a.conv;
  const int64_t neurons = cv.out_channels * cv.out_h * cv.out_w, images = a.steps * a.batch;
  std::vector<float> currents(static_cast<size_t>(images * neurons));
  std::vector<float> spikes(a.pool > 1 ? static_cast<size_t>(images * neurons) : 0);
  Conv2dArgs c = cv;
  c.output = currents.data();
  conv2d(c, threads);
  NeuronArgs n{};
  n.input = currents.data();
  n.output = a.pool > 1 ? spikes.data() : a.output;
  n.beta_scalar = a.beta;
  n.v = a.membrane;
  n.steps = a.steps;
  n.batch = a.batch;
  n.neurons = neurons;
  n.model = a.model;
  n.timing = a.timing;
  n.reset = a.reset;
  n.inclusive = a.inclusive;
  n.max_spikes = 1;
  n.threshold = a.threshold;
  neuron(n, threads);
  if (a.pool <= 1) return;
  Pool2dArgs p{};
  p.input = spikes.data();
  p.output = a.output;
  p.mode = PoolMode::kMax;
  p.planes = images * cv.out_channels;
  p.in_h = cv.out_h;
  p.in_w = cv.out_w;
  p.out_h = a.pool_h;
  p.out_w = a.pool_w;
  p.kernel_h = p.kernel_w = p.stride_h = p.stride_w = a.pool;
  p.dilation_h = p.dilation_w = 1;
  pool2d(p, threads);
}

}  // namespace

void conv2d_neuron_pool(const ConvNeuronPoolArgs& a, int threads) {
  const Conv2dArgs& cv = a.conv;
  if (a.steps == 0 || a.batch == 0) return;
  if (cv.groups != 1 || !events_apply(cv)) {
    unfused(a, threads);
    return;
  }
  const int64_t positions = cv.out_h * cv.out_w;
  // Fewer samples than threads: split each sample's output channels (halving while both halves keep whole
  // vectors), so that a batch of one still uses every thread. Each output is computed alike either way.
  int64_t parts = 1;
  while (a.batch * parts < threads && cv.out_channels % (parts * 2) == 0 && cv.out_channels / (parts * 2) >= 8) parts *= 2;
  const int64_t part = cv.out_channels / parts, tasks = a.batch * parts;
  const int team = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, tasks)));
  // Everything allocated before the parallel region: nothing may throw inside it.
  const std::vector<float> wt = weight_runs(cv);
  const int64_t per_task = 2 * positions * part + a.pool_h * a.pool_w * part;
  std::vector<float> scratch(static_cast<size_t>(team * per_task));
  std::vector<int32_t> columns(static_cast<size_t>(team * cv.in_w));
  const Reach rows = reach(cv.in_h, cv.out_h, cv.kernel_h, cv.stride_h, cv.pad_h, cv.dilation_h);
  const Reach cols = reach(cv.in_w, cv.out_w, cv.kernel_w, cv.stride_w, cv.pad_w, cv.dilation_w);
  const Fused f{a, wt.data(), rows, cols, positions, part};
  // Dynamic: a task is a whole sample's steps, so on a shared machine a thread that lost its core for a while
  // would otherwise leave the other waiting at the end; which thread runs a task changes no bit.
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (team > 1)
  for (int64_t k = 0; k < tasks; ++k) {
    float* mine = scratch.data() + omp_get_thread_num() * per_task;
    fused(f, k / parts, (k % parts) * part, mine, mine + positions * part, mine + 2 * positions * part,
          columns.data() + omp_get_thread_num() * cv.in_w);
  }
}

}  // namespace snn::cpu

SNN_REGISTER_CPU_KERNEL(snn::conv_neuron_pool_op, snn::cpu::conv2d_neuron_pool);
