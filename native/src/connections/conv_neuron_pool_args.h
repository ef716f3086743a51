// The fused convolution -> spiking neurons -> max pooling of snn_conv2d_neuron_pool_forward
// (snn/connection.h): the argument block and its operation. CPU only.
#pragma once

#include <cstdint>

#include "connections/connection_args.h"
#include "neurons/neuron_args.h"

namespace snn {

struct ConvNeuronPoolArgs {
  Conv2dArgs conv;       // input [steps * batch images]; conv.output unused (nullptr)
  int64_t steps, batch;  // the input's leading axes [T, B]
  NeuronModel model;     // kIf or kLif, feed-forward, binary spikes, no refractory period
  SpikeTiming timing;
  ResetMode reset;
  bool inclusive;
  float beta;            // kLif: the (already clipped) membrane decay
  float threshold;
  float* membrane;       // [batch, out_channels * out_h * out_w], read and updated in place
  int64_t pool;          // 1: no pooling; k: k x k max pooling at stride k, no padding
  int64_t pool_h, pool_w;  // out_h / pool, out_w / pool
  float* output;         // [steps, batch, out_channels, pool_h, pool_w]
};

inline Operation<ConvNeuronPoolArgs> conv_neuron_pool_op{"conv2d neuron pool"};

}  // namespace snn
