// snn_lif_forward: validate every argument, then run LIF as a configuration of the neuron family.
#include <cmath>
#include <mutex>

#include "api/validate.h"
#include "core/guard.h"
#include "snn/lif.h"

using namespace snn;

SNN_API snn_status snn_lif_forward(const snn_tensor* current, const snn_lif_params* params, snn_tensor* state,
                                   snn_tensor* spikes, snn_tensor* membrane) {
  return guard("snn_lif_forward", [&] {
    const snn_tensor& c = api::require_tensor(current, "current");
    api::require_ptr(params, "params");
    snn_tensor& s = api::require_tensor(spikes, "spikes");
    snn_tensor* m = membrane != nullptr ? &api::require_tensor(membrane, "membrane") : nullptr;
    snn_tensor* v = state != nullptr ? &api::require_tensor(state, "state") : nullptr;

    const snn_lif_params p = *params;
    if (!(p.beta >= 0.0f && p.beta <= 1.0f)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("beta must be in [0, 1], got ", p.beta,
                                           "; pass the per-step membrane decay, e.g. exp(-dt / tau)"));
    }
    if (!(std::isfinite(p.threshold) && p.threshold > 0.0f)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("threshold must be finite and > 0, got ", p.threshold, "; pass a positive threshold"));
    }
    if (p.reset_mode != SNN_RESET_SUBTRACT && p.reset_mode != SNN_RESET_ZERO && p.reset_mode != SNN_RESET_NONE) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("reset_mode ", p.reset_mode, " is unknown; pass SNN_RESET_SUBTRACT (0), "
                                           "SNN_RESET_ZERO (1) or SNN_RESET_NONE (2)"));
    }

    api::require_dtype(c, SNN_DTYPE_FLOAT32, "current");
    api::require_rank(c, 3, "current", "[T, B, N]");
    if (c.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("current ", shape_string(3, c.shape), " has T = 0 time steps; pass T >= 1"));
    }
    api::require_dtype(s, SNN_DTYPE_FLOAT32, "spikes");
    api::require_same_shape(c, "current", s, "spikes");
    api::require_same_device(c, "current", s, "spikes");
    api::require_disjoint(c, "current", s, "spikes");
    if (m) {
      api::require_dtype(*m, SNN_DTYPE_FLOAT32, "membrane");
      api::require_same_shape(c, "current", *m, "membrane");
      api::require_same_device(c, "current", *m, "membrane");
      // The same memory as current means "update current in place"; any other overlap is an error.
      if (m->data != c.data) api::require_disjoint(c, "current", *m, "membrane");
      api::require_disjoint(s, "spikes", *m, "membrane");
    }
    if (v) {
      api::require_dtype(*v, SNN_DTYPE_FLOAT32, "state");
      api::require_rank(*v, 2, "state", "[B, N]");
      if (v->shape[0] != c.shape[1] || v->shape[1] != c.shape[2]) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("state ", shape_string(2, v->shape), " does not match current ",
                                             shape_string(3, c.shape), "; state must be [", c.shape[1], ", ",
                                             c.shape[2], "] or NULL"));
      }
      api::require_same_device(c, "current", *v, "state");
      api::require_disjoint(c, "current", *v, "state");
      api::require_disjoint(s, "spikes", *v, "state");
      if (m) api::require_disjoint(*m, "membrane", *v, "state");
    }
    if (c.numel == 0) return;

    // LIF is one configuration of the neuron family (snn/neuron.h): spike on the updated
    // membrane, no refractory period, one spike per step; one kernel serves both calls.
    NeuronArgs args{};
    args.input = static_cast<const float*>(c.data);
    args.output = static_cast<float*>(s.data);
    args.beta_scalar = p.beta;
    args.v = v ? static_cast<float*>(v->data) : nullptr;
    args.record_membrane = m ? static_cast<float*>(m->data) : nullptr;
    args.steps = c.shape[0];
    args.batch = c.shape[1];
    args.neurons = c.shape[2];
    args.model = NeuronModel::kLif;
    args.timing = SpikeTiming::kAfterInput;
    args.reset = static_cast<ResetMode>(p.reset_mode);
    args.max_spikes = 1;
    args.threshold = p.threshold;
    std::lock_guard<std::mutex> lock(s.backend().mutex());
    s.backend().neuron(args);
  });
}
