// snn_conv2d_forward, snn_max_pool2d, snn_adaptive_max_pool2d, snn_avg_pool2d and snn_delay_line:
// argument checks, output shapes, and the hand-off to the backend's kernels.
#include <cstring>
#include <limits>
#include <mutex>

#include "api/validate.h"
#include "connections/connection_args.h"
#include "core/guard.h"
#include "snn/connection.h"

using namespace snn;

namespace {

struct Pair {
  int64_t h, w;
};

Pair read_pair(const int64_t* p, const char* name) {
  api::require_ptr(p, name);
  return Pair{p[0], p[1]};
}

const snn_tensor& require_image(const snn_tensor* t, const char* name) {
  const snn_tensor& x = api::require_tensor(t, name);
  api::require_dtype(x, SNN_DTYPE_FLOAT32, name);
  if (x.rank < 3) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str(name, " must have rank >= 3 [..., C, H, W], got ", describe(x), "; add the channel axis"));
  }
  return x;
}

int64_t leading(const snn_tensor& x) {
  int64_t n = 1;
  for (int32_t d = 0; d + 3 < x.rank; ++d) n *= x.shape[d];
  return n;
}

// Requires `y` to be [leading axes of x..., c, h, w].
void require_image_output(const snn_tensor& x, snn_tensor& y, const char* name, int64_t c, int64_t h, int64_t w,
                          const char* what) {
  api::require_dtype(y, SNN_DTYPE_FLOAT32, name);
  int64_t expected[SNN_MAX_RANK];
  for (int32_t d = 0; d < x.rank; ++d) expected[d] = x.shape[d];
  expected[x.rank - 3] = c;
  expected[x.rank - 2] = h;
  expected[x.rank - 1] = w;
  bool same = y.rank == x.rank;
  for (int32_t d = 0; same && d < x.rank; ++d) same = y.shape[d] == expected[d];
  if (!same) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " must be float32 ", shape_string(x.rank, expected), ", ", what,
                                         " of input ", shape_string(x.rank, x.shape), ", got ",
                                         shape_string(y.rank, y.shape)));
  }
  api::require_same_device(x, "input", y, name);
}

// PyTorch's output size: floor((in + 2p - d(k - 1) - 1) / s) + 1, or rounded up in ceil mode
// with a last window that starts in the right padding dropped. Fails when the window does not fit.
int64_t output_size(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode, const char* axis) {
  const int64_t span = d * (k - 1) + 1;
  const int64_t room = in + 2 * p - span;
  if (room < 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("the ", axis, " kernel spans ", span, " positions (kernel ", k, ", dilation ", d, ") but the padded input has ",
             in + 2 * p, " (", in, " + 2 * padding ", p, "); the kernel must not be larger than the padded input: "
             "use a smaller kernel or dilation, or more padding"));
  }
  int64_t out = (ceil_mode ? room + s - 1 : room) / s + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  return out;
}

void require_geometry(Pair k, Pair s, Pair p, Pair d, const char* what) {
  if (k.h < 1 || k.w < 1) fail(SNN_ERROR_INVALID_ARGUMENT, str(what, " kernel {", k.h, ", ", k.w, "} must be >= 1 in both axes"));
  if (s.h < 1 || s.w < 1) fail(SNN_ERROR_INVALID_ARGUMENT, str(what, " stride {", s.h, ", ", s.w, "} must be >= 1 in both axes"));
  if (p.h < 0 || p.w < 0) fail(SNN_ERROR_INVALID_ARGUMENT, str(what, " padding {", p.h, ", ", p.w, "} must be >= 0 in both axes"));
  if (d.h < 1 || d.w < 1) fail(SNN_ERROR_INVALID_ARGUMENT, str(what, " dilation {", d.h, ", ", d.w, "} must be >= 1 in both axes"));
}

void require_pool_padding(Pair k, Pair p) {
  if (p.h > k.h / 2 || p.w > k.w / 2) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("pooling padding {", p.h, ", ", p.w, "} must be at most half the kernel {", k.h,
                                         ", ", k.w, "} (PyTorch's rule); use less padding or a larger kernel"));
  }
}

// The window of a convolution or pooling: kernel, stride, padding and dilation (height, width).
template <class Args>
void set_window(Args& a, const Pair& k, const Pair& s, const Pair& p, const Pair& d) {
  a.kernel_h = k.h;
  a.kernel_w = k.w;
  a.stride_h = s.h;
  a.stride_w = s.w;
  a.pad_h = p.h;
  a.pad_w = p.w;
  a.dilation_h = d.h;
  a.dilation_w = d.w;
}

void require_trace_pair(const snn_tensor* trace, const snn_tensor* trace_out) {
  if ((trace == nullptr) != (trace_out == nullptr)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, "trace and trace_out must both be given or both be NULL");
  }
}

}  // namespace

SNN_API snn_status snn_conv2d_forward(const snn_tensor* input, const snn_tensor* weight, const snn_tensor* bias,
                                      const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                                      int64_t groups, snn_tensor* output) {
  return guard("snn_conv2d_forward", [&] {
    const snn_tensor& x = require_image(input, "input");
    const snn_tensor& w = api::require_tensor(weight, "weight");
    const snn_tensor* b = bias != nullptr ? &api::require_tensor(bias, "bias") : nullptr;
    snn_tensor& y = api::require_tensor(output, "output");
    const Pair s = read_pair(stride, "stride"), p = read_pair(padding, "padding"), d = read_pair(dilation, "dilation");
    api::require_dtype(w, SNN_DTYPE_FLOAT32, "weight");
    api::require_rank(w, 4, "weight", "[C_out, C_in / groups, kH, kW]");
    if (b) {
      api::require_dtype(*b, SNN_DTYPE_FLOAT32, "bias");
      api::require_rank(*b, 1, "bias", "[C_out]");
    }
    const int64_t c_in = x.shape[x.rank - 3], h = x.shape[x.rank - 2], wd = x.shape[x.rank - 1];
    const int64_t c_out = w.shape[0];
    const Pair k{w.shape[2], w.shape[3]};
    require_geometry(k, s, p, d, "conv2d");
    if (groups < 1 || c_in % groups != 0 || c_out % groups != 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("groups = ", groups, " must be >= 1 and divide both C_in = ", c_in,
                                           " and C_out = ", c_out));
    }
    if (w.shape[1] != c_in / groups) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("weight ", shape_string(4, w.shape), " must have C_in / groups = ", c_in / groups,
               " input channels per group for input ", shape_string(x.rank, x.shape), " and groups = ", groups));
    }
    if (b && b->shape[0] != c_out) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("bias has ", b->shape[0], " elements but weight ", shape_string(4, w.shape),
                                           " has C_out = ", c_out, "; pass a bias of shape [", c_out, "] or NULL"));
    }
    const int64_t ho = output_size(h, k.h, s.h, p.h, d.h, false, "vertical");
    const int64_t wo = output_size(wd, k.w, s.w, p.w, d.w, false, "horizontal");
    require_image_output(x, y, "output", c_out, ho, wo, "the convolution");
    api::require_same_device(x, "input", w, "weight");
    if (b) api::require_same_device(x, "input", *b, "bias");
    api::require_disjoint(y, "output", x, "input");
    api::require_disjoint(y, "output", w, "weight");
    if (b) api::require_disjoint(y, "output", *b, "bias");
    if (y.numel == 0) return;
    const int64_t taps = (c_in / groups) * k.h * k.w;
    constexpr int64_t kBlasMax = std::numeric_limits<int32_t>::max();
    if (taps > kBlasMax || ho * wo > kBlasMax) {
      fail(SNN_ERROR_UNSUPPORTED, str("the convolution's GEMM dimensions (", taps, " taps, ", ho * wo,
                                      " positions per image) exceed BLAS's 2^31 - 1"));
    }
    Conv2dArgs a{};
    a.input = static_cast<const float*>(x.data);
    a.weight = static_cast<const float*>(w.data);
    a.bias = b ? static_cast<const float*>(b->data) : nullptr;
    a.output = static_cast<float*>(y.data);
    a.images = leading(x);
    a.in_channels = c_in;
    a.in_h = h;
    a.in_w = wd;
    a.out_channels = c_out;
    a.out_h = ho;
    a.out_w = wo;
    set_window(a, k, s, p, d);
    a.groups = groups;
    std::lock_guard<std::mutex> lock(y.backend().mutex());
    run(y.backend(), conv2d_op, a);
  });
}

namespace {

// Shared tail of the pooling entry points: the trace checks and the kernel call.
void run_pool(Pool2dArgs& a, const snn_tensor& x, const snn_tensor* trace, snn_tensor& y, snn_tensor* trace_out) {
  if (trace != nullptr) {
    const snn_tensor& t = api::require_tensor(trace, "trace");
    snn_tensor& to = api::require_tensor(trace_out, "trace_out");
    api::require_dtype(t, SNN_DTYPE_FLOAT32, "trace");
    api::require_dtype(to, SNN_DTYPE_FLOAT32, "trace_out");
    api::require_same_shape(x, "input", t, "trace");
    api::require_same_shape(y, "output", to, "trace_out");
    api::require_same_device(x, "input", t, "trace");
    api::require_same_device(x, "input", to, "trace_out");
    api::require_disjoint(to, "trace_out", x, "input");
    api::require_disjoint(to, "trace_out", t, "trace");
    api::require_disjoint(to, "trace_out", y, "output");
    api::require_disjoint(y, "output", t, "trace");
    a.trace = static_cast<const float*>(t.data);
    a.trace_out = static_cast<float*>(to.data);
  }
  api::require_disjoint(y, "output", x, "input");
  if (y.numel == 0) return;
  a.input = static_cast<const float*>(x.data);
  a.output = static_cast<float*>(y.data);
  a.planes = leading(x) * x.shape[x.rank - 3];
  a.in_h = x.shape[x.rank - 2];
  a.in_w = x.shape[x.rank - 1];
  a.out_h = y.shape[y.rank - 2];
  a.out_w = y.shape[y.rank - 1];
  std::lock_guard<std::mutex> lock(y.backend().mutex());
  run(y.backend(), pool2d_op, a);
}

}  // namespace

SNN_API snn_status snn_max_pool2d(const snn_tensor* input, const snn_tensor* trace, const int64_t* kernel,
                                  const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                                  int32_t ceil_mode, snn_tensor* output, snn_tensor* trace_out) {
  return guard("snn_max_pool2d", [&] {
    const snn_tensor& x = require_image(input, "input");
    snn_tensor& y = api::require_tensor(output, "output");
    const Pair k = read_pair(kernel, "kernel"), s = read_pair(stride, "stride"), p = read_pair(padding, "padding"),
               d = read_pair(dilation, "dilation");
    require_trace_pair(trace, trace_out);
    require_geometry(k, s, p, d, "max_pool2d");
    require_pool_padding(k, p);
    if (ceil_mode != 0 && ceil_mode != 1) fail(SNN_ERROR_INVALID_ARGUMENT, str("ceil_mode ", ceil_mode, " must be 0 or 1"));
    const int64_t ho = output_size(x.shape[x.rank - 2], k.h, s.h, p.h, d.h, ceil_mode == 1, "vertical");
    const int64_t wo = output_size(x.shape[x.rank - 1], k.w, s.w, p.w, d.w, ceil_mode == 1, "horizontal");
    require_image_output(x, y, "output", x.shape[x.rank - 3], ho, wo, "the max pooling");
    Pool2dArgs a{};
    a.mode = PoolMode::kMax;
    set_window(a, k, s, p, d);
    run_pool(a, x, trace, y, trace_out);
  });
}

SNN_API snn_status snn_adaptive_max_pool2d(const snn_tensor* input, const snn_tensor* trace, snn_tensor* output,
                                           snn_tensor* trace_out) {
  return guard("snn_adaptive_max_pool2d", [&] {
    const snn_tensor& x = require_image(input, "input");
    snn_tensor& y = api::require_tensor(output, "output");
    require_trace_pair(trace, trace_out);
    if (y.rank != x.rank || y.shape[y.rank - 2] < 1 || y.shape[y.rank - 1] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("output ", describe(y), " must have the input's rank ", x.rank,
                                           " and an output size H_out, W_out >= 1 in its last two axes"));
    }
    require_image_output(x, y, "output", x.shape[x.rank - 3], y.shape[y.rank - 2], y.shape[y.rank - 1],
                         "the adaptive max pooling");
    if (x.shape[x.rank - 2] < 1 || x.shape[x.rank - 1] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input ", describe(x), " has an empty image; H and W must be >= 1"));
    }
    Pool2dArgs a{};
    a.mode = PoolMode::kAdaptiveMax;
    run_pool(a, x, trace, y, trace_out);
  });
}

SNN_API snn_status snn_avg_pool2d(const snn_tensor* input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, int32_t count_include_pad, snn_tensor* output) {
  return guard("snn_avg_pool2d", [&] {
    const snn_tensor& x = require_image(input, "input");
    snn_tensor& y = api::require_tensor(output, "output");
    const Pair k = read_pair(kernel, "kernel"), s = read_pair(stride, "stride"), p = read_pair(padding, "padding");
    require_geometry(k, s, p, Pair{1, 1}, "avg_pool2d");
    require_pool_padding(k, p);
    if (count_include_pad != 0 && count_include_pad != 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("count_include_pad ", count_include_pad, " must be 0 or 1"));
    }
    const int64_t ho = output_size(x.shape[x.rank - 2], k.h, s.h, p.h, 1, false, "vertical");
    const int64_t wo = output_size(x.shape[x.rank - 1], k.w, s.w, p.w, 1, false, "horizontal");
    require_image_output(x, y, "output", x.shape[x.rank - 3], ho, wo, "the average pooling");
    Pool2dArgs a{};
    a.mode = PoolMode::kAverage;
    set_window(a, k, s, p, Pair{1, 1});
    a.count_include_pad = count_include_pad == 1;
    run_pool(a, x, nullptr, y, nullptr);
  });
}

SNN_API snn_status snn_delay_line(const snn_tensor* input, snn_tensor* line, snn_tensor* output) {
  return guard("snn_delay_line", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    snn_tensor& l = api::require_tensor(line, "line");
    snn_tensor& y = api::require_tensor(output, "output");
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_dtype(l, SNN_DTYPE_FLOAT32, "line");
    api::require_same_shape(x, "input", y, "output");
    api::require_dtype(y, SNN_DTYPE_FLOAT32, "output");
    if (x.rank < 1) fail(SNN_ERROR_INVALID_ARGUMENT, str("input must have rank >= 1 [T, ...], got ", describe(x)));
    bool same = l.rank == x.rank && l.shape[0] >= 1;
    for (int32_t d = 1; same && d < x.rank; ++d) same = l.shape[d] == x.shape[d];
    if (!same) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("line ", shape_string(l.rank, l.shape), " must be [D, ...] with D >= 1 and the trailing shape of input ",
               shape_string(x.rank, x.shape), " (D = the delay in steps)"));
    }
    api::require_same_device(x, "input", l, "line");
    api::require_same_device(x, "input", y, "output");
    api::require_disjoint(y, "output", x, "input");
    api::require_disjoint(y, "output", l, "line");
    api::require_disjoint(l, "line", x, "input");
    const int64_t steps = x.shape[0], depth = l.shape[0];
    if (x.numel == 0) return;
    const size_t step = static_cast<size_t>(x.numel / steps) * sizeof(float);
    auto* in = static_cast<const char*>(x.data);
    auto* ln = static_cast<char*>(l.data);
    auto* out = static_cast<char*>(y.data);
    Backend& be = y.backend();
    std::lock_guard<std::mutex> lock(be.mutex());
    const int64_t from_line = steps < depth ? steps : depth;
    be.copy_within(out, ln, static_cast<size_t>(from_line) * step);
    if (steps > depth) be.copy_within(out + depth * step, in, static_cast<size_t>(steps - depth) * step);
    if (steps >= depth) {
      be.copy_within(ln, in + (steps - depth) * step, static_cast<size_t>(depth) * step);
    } else {
      // Shift the kept steps to the front in pieces no longer than the shift, so no copy reads
      // memory it writes (a device-to-device cudaMemcpy does not promise overlap safety).
      for (int64_t kept = 0; kept < depth - steps; kept += steps) {
        const int64_t n = depth - steps - kept < steps ? depth - steps - kept : steps;
        be.copy_within(ln + kept * step, ln + (kept + steps) * step, static_cast<size_t>(n) * step);
      }
      be.copy_within(ln + (depth - steps) * step, in, static_cast<size_t>(steps) * step);
    }
  });
}
