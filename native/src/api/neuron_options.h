// Checks of the neuron family's options shared by every entry point that takes snn_neuron_params
// (snn_neuron_forward and the fused convolution).
#pragma once

#include "core/error.h"
#include "core/format.h"
#include "snn/neuron.h"

namespace snn::api {

inline void require_timing_and_reset(const snn_neuron_params& p) {
  if (p.spike_timing != SNN_SPIKE_BEFORE_INPUT && p.spike_timing != SNN_SPIKE_AFTER_INPUT) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.spike_timing ", p.spike_timing, " is unknown; pass "
                                         "SNN_SPIKE_BEFORE_INPUT (0) or SNN_SPIKE_AFTER_INPUT (1)"));
  }
  if (p.reset_mode != SNN_RESET_SUBTRACT && p.reset_mode != SNN_RESET_ZERO && p.reset_mode != SNN_RESET_NONE) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.reset_mode ", p.reset_mode, " is unknown; pass "
                                         "SNN_RESET_SUBTRACT (0), SNN_RESET_ZERO (1) or SNN_RESET_NONE (2)"));
  }
}

}  // namespace snn::api
