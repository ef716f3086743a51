// snn_conv2d_neuron_pool_forward: argument checks, shapes, and the hand-off to the fused kernel
// (connections/conv2d_events_cpu.cpp).
#include <cmath>
#include <mutex>

#include "api/neuron_options.h"
#include "api/validate.h"
#include "connections/conv_neuron_pool_args.h"
#include "core/guard.h"
#include "snn/connection.h"

using namespace snn;

namespace {

void require_supported_neuron(const snn_neuron_params& p) {
  if (p.model != SNN_NEURON_IF && p.model != SNN_NEURON_LIF) {
    fail(SNN_ERROR_UNSUPPORTED, str("the fused convolution takes SNN_NEURON_IF (0) or SNN_NEURON_LIF (1) populations, got "
                                    "params.model ", p.model, "; run snn_conv2d_forward, snn_neuron_forward and "
                                    "snn_max_pool2d one after the other"));
  }
  const char* what = p.refractory_steps != 0                ? "refractory_steps is not 0"
                     : p.max_spikes_per_step > 1             ? "max_spikes_per_step is above 1"
                     : p.beta_per_neuron != nullptr          ? "beta_per_neuron is given"
                     : p.alpha_per_neuron != nullptr         ? "alpha_per_neuron is given"
                     : p.gamma_per_neuron != nullptr         ? "gamma_per_neuron is given"
                     : p.input_scale_per_neuron != nullptr   ? "input_scale_per_neuron is given"
                                                             : nullptr;
  if (what != nullptr) {
    fail(SNN_ERROR_UNSUPPORTED, str("the fused convolution runs plain IF/LIF neurons, but ", what,
                                    "; run snn_conv2d_forward, snn_neuron_forward and snn_max_pool2d one after the other"));
  }
  api::require_timing_and_reset(p);
  if ((p.inclusive_threshold != 0 && p.inclusive_threshold != 1) || (p.clip_decays != 0 && p.clip_decays != 1)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, "params.inclusive_threshold and params.clip_decays must each be 0 or 1");
  }
  if (p.max_spikes_per_step < 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.max_spikes_per_step must be >= 0, got ", p.max_spikes_per_step));
  }
  if (!(std::isfinite(p.threshold) && p.threshold > 0.0f)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.threshold must be finite and > 0, got ", p.threshold,
                                         "; pass a positive threshold"));
  }
  if (p.model == SNN_NEURON_LIF && p.clip_decays == 0 && !(p.beta >= 0.0f && p.beta <= 1.0f)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.beta ", p.beta, " is outside [0, 1]; pass a membrane decay per step, "
                                         "e.g. exp(-dt / tau), or set clip_decays = 1 to clamp it into [0, 1]"));
  }
}

int64_t conv_size(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, const char* axis) {
  const int64_t room = in + 2 * p - (d * (k - 1) + 1);
  if (room < 0) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("the ", axis, " kernel (", k, ", dilation ", d, ") is larger than the padded input (",
                                         in + 2 * p, "); use a smaller kernel or dilation, or more padding"));
  }
  return room / s + 1;
}

}  // namespace

SNN_API snn_status snn_conv2d_neuron_pool_forward(const snn_tensor* input, const snn_tensor* weight,
                                                  const snn_tensor* bias, const int64_t* stride,
                                                  const int64_t* padding, const int64_t* dilation, int64_t groups,
                                                  const snn_neuron_params* neuron, snn_tensor* membrane, int64_t pool,
                                                  snn_tensor* output) {
  return guard("snn_conv2d_neuron_pool_forward", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    const snn_tensor& w = api::require_tensor(weight, "weight");
    const snn_tensor* b = bias != nullptr ? &api::require_tensor(bias, "bias") : nullptr;
    snn_tensor& v = api::require_tensor(membrane, "membrane");
    snn_tensor& y = api::require_tensor(output, "output");
    api::require_ptr(stride, "stride");
    api::require_ptr(padding, "padding");
    api::require_ptr(dilation, "dilation");
    api::require_ptr(neuron, "neuron");
    const snn_neuron_params p = *neuron;
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_rank(x, 5, "input", "[T, B, C_in, H, W]");
    api::require_dtype(w, SNN_DTYPE_FLOAT32, "weight");
    api::require_rank(w, 4, "weight", "[C_out, C_in / groups, kH, kW]");
    const int64_t steps = x.shape[0], batch = x.shape[1], c_in = x.shape[2], h = x.shape[3], wd = x.shape[4];
    const int64_t c_out = w.shape[0];
    for (int d = 0; d < 2; ++d) {
      if (stride[d] < 1 || dilation[d] < 1 || padding[d] < 0 || w.shape[2 + d] < 1) {
        fail(SNN_ERROR_INVALID_ARGUMENT, "conv2d stride and dilation must be >= 1, padding >= 0, the kernel >= 1");
      }
    }
    if (groups < 1 || c_in % groups != 0 || c_out % groups != 0 || w.shape[1] != c_in / groups) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("groups = ", groups, " must be >= 1 and divide C_in = ", c_in, " and C_out = ",
                                           c_out, ", and weight ", shape_string(4, w.shape), " must have C_in / groups input channels"));
    }
    if (b) {
      api::require_dtype(*b, SNN_DTYPE_FLOAT32, "bias");
      api::require_rank(*b, 1, "bias", "[C_out]");
      if (b->shape[0] != c_out) fail(SNN_ERROR_INVALID_ARGUMENT, str("bias must have C_out = ", c_out, " elements"));
      api::require_same_device(x, "input", *b, "bias");
    }
    require_supported_neuron(p);
    const int64_t ho = conv_size(h, w.shape[2], stride[0], padding[0], dilation[0], "vertical");
    const int64_t wo = conv_size(wd, w.shape[3], stride[1], padding[1], dilation[1], "horizontal");
    if (pool < 1 || ho / pool < 1 || wo / pool < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("pool = ", pool, " must be >= 1 and at most the convolution's output size ",
                                           ho, " x ", wo));
    }
    const int64_t neurons = c_out * ho * wo;
    api::require_dtype(v, SNN_DTYPE_FLOAT32, "membrane");
    if (v.rank != 2 || v.shape[0] != batch || v.shape[1] != neurons) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("membrane must be float32 [", batch, ", ", neurons, "] (batch, C_out * H_out * W_out), got ",
                                           shape_string(v.rank, v.shape)));
    }
    api::require_dtype(y, SNN_DTYPE_FLOAT32, "output");
    const int64_t expected[5] = {steps, batch, c_out, ho / pool, wo / pool};
    bool same = y.rank == 5;
    for (int d = 0; same && d < 5; ++d) same = y.shape[d] == expected[d];
    if (!same) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("output must be float32 ", shape_string(5, expected), ", got ",
                                           shape_string(y.rank, y.shape)));
    }
    api::require_same_device(x, "input", w, "weight");
    api::require_same_device(x, "input", v, "membrane");
    api::require_same_device(x, "input", y, "output");
    api::require_disjoint(y, "output", x, "input");
    api::require_disjoint(y, "output", w, "weight");
    api::require_disjoint(y, "output", v, "membrane");
    api::require_disjoint(v, "membrane", x, "input");
    api::require_disjoint(v, "membrane", w, "weight");
    if (b) {
      api::require_disjoint(y, "output", *b, "bias");
      api::require_disjoint(v, "membrane", *b, "bias");
    }
    if (y.numel == 0) return;
    ConvNeuronPoolArgs a{};
    Conv2dArgs& c = a.conv;
    c.input = static_cast<const float*>(x.data);
    c.weight = static_cast<const float*>(w.data);
    c.bias = b ? static_cast<const float*>(b->data) : nullptr;
    c.images = steps * batch;
    c.in_channels = c_in;
    c.in_h = h;
    c.in_w = wd;
    c.out_channels = c_out;
    c.out_h = ho;
    c.out_w = wo;
    c.kernel_h = w.shape[2];
    c.kernel_w = w.shape[3];
    c.stride_h = stride[0];
    c.stride_w = stride[1];
    c.pad_h = padding[0];
    c.pad_w = padding[1];
    c.dilation_h = dilation[0];
    c.dilation_w = dilation[1];
    c.groups = groups;
    a.steps = steps;
    a.batch = batch;
    a.model = p.model == SNN_NEURON_LIF ? NeuronModel::kLif : NeuronModel::kIf;
    a.timing = static_cast<SpikeTiming>(p.spike_timing);
    a.reset = static_cast<ResetMode>(p.reset_mode);
    a.inclusive = p.inclusive_threshold == 1;
    a.beta = p.clip_decays == 1 ? (p.beta < 0.0f ? 0.0f : (p.beta > 1.0f ? 1.0f : p.beta)) : p.beta;
    a.threshold = p.threshold;
    a.membrane = static_cast<float*>(v.data);
    a.pool = pool;
    a.pool_h = ho / pool;
    a.pool_w = wo / pool;
    a.output = static_cast<float*>(y.data);
    std::lock_guard<std::mutex> lock(y.backend().mutex());
    run(y.backend(), conv_neuron_pool_op, a);
  });
}
