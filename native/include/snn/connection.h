/* snn C ABI: PySNN's connections. 2-D convolution, max / adaptive max / average pooling (the
 * max pools also carry the trace of the winning input), and integer-step synaptic delay lines.
 *
 * Images are row-major [..., C, H, W]: every axis before the last three is a batch axis (a
 * layer passes [T, B, C, H, W], T * B images). Geometry arguments are arrays of two int64
 * values, {height, width}. Output shapes follow PyTorch's (torch.nn.functional.conv2d,
 * max_pool2d, adaptive_max_pool2d, avg_pool2d):
 *   out = floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
 * (max pooling with ceil_mode rounds up, dropping a last window that would start in the right
 * padding). All tensors of a call are float32 on one device; outputs must not alias inputs.
 * Equations and conventions: docs/connections.md. */
#ifndef SNN_CONNECTION_H
#define SNN_CONNECTION_H

#include <stdint.h>

#include "snn/tensor.h"

/* output[n, o, y, x] = bias[o] + sum over c, i, j of
 *   weight[o, c, i, j] * input[n, g * C_in / groups + c, y * stride[0] - padding[0] + i * dilation[0],
 *                                                      x * stride[1] - padding[1] + j * dilation[1]]
 * with g = o / (C_out / groups) and positions outside the input read as zero.
 * input: [..., C_in, H, W]; weight: [C_out, C_in / groups, kH, kW]; bias: [C_out] or NULL;
 * output: [..., C_out, H_out, W_out] with the input's leading axes. stride, dilation >= 1,
 * padding >= 0, groups >= 1 dividing C_in and C_out, and the dilated kernel must fit the padded
 * input. CPU: im2col + one BLAS sgemm per chunk of images; CUDA: a direct kernel. */
SNN_API snn_status snn_conv2d_forward(const snn_tensor* input, const snn_tensor* weight, const snn_tensor* bias,
                                      const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                                      int64_t groups, snn_tensor* output);

/* output[n, c, y, x] = max of input[n, c, y * stride - padding + i * dilation, ...] over the
 * kernel window, padded positions never winning. When `trace` (the input's shape) is given,
 * trace_out[n, c, y, x] = trace at the winning position; ties go to the first position of the
 * window in row-major order (top-left), as PySNN's MaxPool2d documents. A NaN input wins (as in
 * PyTorch). trace and trace_out are both given or both NULL. kernel, stride, dilation >= 1,
 * 0 <= padding <= kernel / 2 (PyTorch's rule); ceil_mode 0 or 1. */
SNN_API snn_status snn_max_pool2d(const snn_tensor* input, const snn_tensor* trace, const int64_t* kernel,
                                  const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                                  int32_t ceil_mode, snn_tensor* output, snn_tensor* trace_out);

/* Adaptive max pooling to the output's H_out x W_out (read from `output`): output cell (y, x)
 * covers rows floor(y * H / H_out) .. ceil((y + 1) * H / H_out) - 1 and likewise columns
 * (PyTorch's bins). Ties and the trace as in snn_max_pool2d. H_out, W_out >= 1. */
SNN_API snn_status snn_adaptive_max_pool2d(const snn_tensor* input, const snn_tensor* trace, snn_tensor* output,
                                           snn_tensor* trace_out);

/* Average pooling: the sum over the kernel window (padding reads as zero) divided by the window
 * size kH * kW when count_include_pad is 1 (PyTorch's default), or by the number of positions
 * inside the input when it is 0. kernel, stride >= 1, 0 <= padding <= kernel / 2. */
SNN_API snn_status snn_avg_pool2d(const snn_tensor* input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, int32_t count_include_pad, snn_tensor* output);

/* An integer-step delay line over the first axis: with the line [D, ...] holding the last D
 * steps seen before (oldest first) and input [T, ...], output[t] = (line ++ input)[t] (so
 * output step t is input step t - D) and the line becomes (line ++ input)[T .. T + D). The
 * trailing shapes must agree; D >= 1. A pure copy: bit-exact on every device. */
SNN_API snn_status snn_delay_line(const snn_tensor* input, snn_tensor* line, snn_tensor* output);

#include "snn/neuron.h"

/* A convolution, a population of spiking neurons and a max pooling in one call, equal bit for bit to
 * snn_conv2d_forward, then snn_neuron_forward (state: membrane only), then snn_max_pool2d with kernel
 * and stride {pool, pool} (no padding, dilation 1, floor mode) on their outputs, but without writing the
 * currents and the unpooled spikes, and on the CPU with each sample's steps run in cache.
 * input: [T, B, C_in, H, W]; weight, bias, stride, padding, dilation, groups: as snn_conv2d_forward.
 * neuron: SNN_NEURON_IF or SNN_NEURON_LIF, feed-forward, refractory_steps 0, max_spikes_per_step 0 or 1,
 * scalar decays, no input scale (other populations: SNN_ERROR_UNSUPPORTED; run the layers separately).
 * membrane: float32 [B, C_out * H_out * W_out], the state before the first step (zeros at rest), updated in
 * place to the state after the last. pool >= 1 (1: no pooling). output: float32
 * [T, B, C_out, H_out / pool, W_out / pool], the pooled spikes. CPU only (CUDA: SNN_ERROR_UNSUPPORTED). */
SNN_API snn_status snn_conv2d_neuron_pool_forward(const snn_tensor* input, const snn_tensor* weight,
                                                  const snn_tensor* bias, const int64_t* stride,
                                                  const int64_t* padding, const int64_t* dilation, int64_t groups,
                                                  const snn_neuron_params* neuron, snn_tensor* membrane, int64_t pool,
                                                  snn_tensor* output);

#endif /* SNN_CONNECTION_H */
