// The event-driven fully connected layer as an operation (device/operation.h): the API layer
// runs it through the device that owns the network, like every other engine. Only a CPU kernel
// exists; on a CUDA device the dispatch answers SNN_ERROR_UNSUPPORTED.
#pragma once

#include <vector>

#include "device/operation.h"
#include "event/fc_kernel.h"

namespace snn::event {

struct FcForwardArgs {
  FcLayerArgs layer;
  SpikeBatchView input;
  std::vector<float>* scratch;  // the layer's weight panels (see fc_forward_cpu)
  LayerOutput* output;
};

inline Operation<FcForwardArgs> fc_forward_op{"the event-driven fully connected layer"};

}  // namespace snn::event
