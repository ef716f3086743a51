// snn_iaf_forward: validate the constants, shapes, devices and aliasing, turn the constants into
// the per-step gain and noise scale, then run the backend's integrate-and-fire kernel.
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "api/validate.h"
#include "core/guard.h"
#include "snn/iaf.h"

using namespace snn;

namespace {

void require_finite(double value, const char* name, const char* what) {
  if (!std::isfinite(value)) fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", name, " is ", value, "; pass ", what));
}

void require_positive(double value, const char* name, const char* what) {
  if (!(std::isfinite(value) && value > 0.0)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", name, " must be finite and > 0, got ", value, "; pass ", what));
  }
}

struct Arg {
  const snn_tensor* tensor;
  const char* name;
  bool written;
};

}  // namespace

SNN_API snn_status snn_iaf_forward(const snn_tensor* current, const snn_iaf_params* params,
                                   const snn_iaf_state* state, snn_tensor* spikes, snn_tensor* record_membrane) {
  return guard("snn_iaf_forward", [&] {
    const snn_tensor& x = api::require_tensor(current, "current");
    api::require_ptr(params, "params");
    snn_tensor& out = api::require_tensor(spikes, "spikes");
    const snn_iaf_params p = *params;

    if (p.integrator != SNN_IAF_EXACT && p.integrator != SNN_IAF_RK4) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("params.integrator ", p.integrator, " is unknown; pass SNN_IAF_EXACT (0) or SNN_IAF_RK4 (1)"));
    }
    if (p.refractory_steps < 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.refractory_steps must be >= 0, got ", p.refractory_steps,
                                           "; pass 0 for no refractory period"));
    }
    require_positive(p.dt, "dt", "the step length in seconds, e.g. 1e-4");
    require_positive(p.tau_mem, "tau_mem", "the membrane time constant in seconds, e.g. 0.02");
    require_positive(p.resistance, "resistance", "the membrane resistance in ohms, e.g. 1");
    require_finite(p.v_thresh, "v_thresh", "the firing threshold in volts, e.g. -0.055");
    require_finite(p.v_reset, "v_reset", "the reset potential in volts, e.g. -0.065");
    require_finite(p.v_rest, "v_rest", "the resting potential in volts, e.g. -0.065");
    if (!(p.v_thresh > p.v_reset)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.v_thresh (", p.v_thresh, ") must be > params.v_reset (", p.v_reset,
                                           "); otherwise a neuron would fire again straight after its reset"));
    }
    if (!(std::isfinite(p.noise_std) && p.noise_std >= 0.0)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("params.noise_std must be finite and >= 0, got ", p.noise_std, "; pass 0 for no noise"));
    }

    api::require_dtype(x, SNN_DTYPE_FLOAT32, "current");
    api::require_rank(x, 3, "current", "[T, B, N]");
    if (x.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("current ", shape_string(3, x.shape), " has T = 0 time steps; pass T >= 1"));
    }
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "spikes");
    api::require_same_shape(x, "current", out, "spikes");
    api::require_same_device(x, "current", out, "spikes");
    std::vector<Arg> args{{&x, "current", false}, {&out, "spikes", true}};
    snn_tensor* rec = nullptr;
    if (record_membrane != nullptr) {
      rec = &api::require_tensor(record_membrane, "record_membrane");
      api::require_dtype(*rec, SNN_DTYPE_FLOAT32, "record_membrane");
      api::require_same_shape(x, "current", *rec, "record_membrane");
      api::require_same_device(x, "current", *rec, "record_membrane");
      args.push_back({rec, "record_membrane", true});
    }
    snn_tensor* st[2] = {nullptr, nullptr};
    if (state != nullptr) {
      static const char* const kNames[2] = {"state->membrane", "state->refractory"};
      snn_tensor* const given[2] = {state->membrane, state->refractory};
      for (int k = 0; k < 2; ++k) {
        if (given[k] == nullptr) continue;
        st[k] = &api::require_tensor(given[k], kNames[k]);
        api::require_dtype(*st[k], SNN_DTYPE_FLOAT32, kNames[k]);
        if (st[k]->rank != 2 || st[k]->shape[0] != x.shape[1] || st[k]->shape[1] != x.shape[2]) {
          fail(SNN_ERROR_INVALID_ARGUMENT,
               str(kNames[k], " ", shape_string(st[k]->rank, st[k]->shape), " does not match current ",
                   shape_string(3, x.shape), "; pass a float32 tensor [", x.shape[1], ", ", x.shape[2],
                   "] (one value per batch row and neuron) or NULL"));
        }
        api::require_same_device(x, "current", *st[k], kNames[k]);
        args.push_back({st[k], kNames[k], true});
      }
    }
    for (size_t i = 0; i < args.size(); ++i) {
      for (size_t j = i + 1; j < args.size(); ++j) {
        if (args[i].written || args[j].written) {
          api::require_disjoint(*args[i].tensor, args[i].name, *args[j].tensor, args[j].name);
        }
      }
    }
    if (x.numel == 0) return;

    const double h = p.dt / p.tau_mem;
    IafArgs a{};
    a.current = static_cast<const float*>(x.data);
    a.spikes = static_cast<float*>(out.data);
    a.v = st[0] != nullptr ? static_cast<float*>(st[0]->data) : nullptr;
    a.refractory = st[1] != nullptr ? static_cast<float*>(st[1]->data) : nullptr;
    a.record_v = rec != nullptr ? static_cast<float*>(rec->data) : nullptr;
    a.steps = x.shape[0];
    a.batch = x.shape[1];
    a.neurons = x.shape[2];
    // Exact: 1 - exp(-h) (expm1 keeps the digits for small h). RK4 on dv/dt = (v_inf - v) / tau
    // with v_inf constant: k1..k4 compose to the Taylor polynomial of 1 - exp(-h) up to h^4.
    a.gain = p.integrator == SNN_IAF_EXACT ? -std::expm1(-h) : h * (1.0 - h / 2.0 * (1.0 - h / 3.0 * (1.0 - h / 4.0)));
    a.v_thresh = p.v_thresh;
    a.v_reset = p.v_reset;
    a.v_rest = p.v_rest;
    a.resistance = p.resistance;
    a.noise_scale = p.noise_std * std::sqrt(2.0 * p.tau_mem / p.dt) / p.resistance;
    a.refractory_steps = p.refractory_steps;
    a.seed = p.seed;
    a.step0 = p.step;
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    out.backend().iaf(a);
  });
}
