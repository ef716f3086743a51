// snn_trace_neuron_forward: validate the constants (each rule named in the message), shapes,
// devices and aliasing, derive the kernel's constants, then run the backend's kernel.
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "api/validate.h"
#include "core/guard.h"
#include "device/backend.h"
#include "snn/trace_neuron.h"
#include "trace_neurons/trace_neuron_args.h"

using namespace snn;

namespace {

void require_finite(float value, const char* name, const char* meaning) {
  if (!std::isfinite(value)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", name, " must be finite, got ", value, "; pass the ", meaning));
  }
}

// A decay factor (linear updates) in [0, 1], or a time constant (exponential) > 0; returns the
// factor the kernel multiplies by: the decay itself, or dt / tau.
float decay_or_rate(float tau, float dt, bool exponential, const char* name, const char* what) {
  if (exponential) {
    if (!(std::isfinite(tau) && tau > 0.0f)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("params.", name, " must be a finite time constant > 0 with update_type SNN_TRACE_UPDATE_EXPONENTIAL, got ",
               tau, "; pass the ", what, " time constant in the units of dt"));
    }
    return dt / tau;
  }
  if (!(tau >= 0.0f && tau <= 1.0f)) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("params.", name, " must be a decay factor in [0, 1] with update_type SNN_TRACE_UPDATE_LINEAR, got ", tau,
             "; pass the ", what, " decay per step (e.g. exp(-dt / tau)), or use SNN_TRACE_UPDATE_EXPONENTIAL for a "
             "time constant"));
  }
  return tau;
}

}  // namespace

SNN_API snn_status snn_trace_neuron_forward(const snn_tensor* input, const snn_trace_neuron_params* params,
                                            const snn_trace_neuron_state* state, snn_tensor* spikes,
                                            snn_tensor* trace_out, snn_tensor* record_v) {
  return guard("snn_trace_neuron_forward", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    api::require_ptr(params, "params");
    snn_tensor& s_out = api::require_tensor(spikes, "spikes");
    snn_tensor& tr_out = api::require_tensor(trace_out, "trace_out");
    const snn_trace_neuron_params p = *params;

    if (p.model < SNN_TRACE_NEURON_INPUT || p.model > SNN_TRACE_NEURON_ADAPTIVE_LIF) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.model ", p.model, " is unknown; pass SNN_TRACE_NEURON_INPUT (0), "
                                           "SNN_TRACE_NEURON_IF (1), SNN_TRACE_NEURON_LIF (2) or SNN_TRACE_NEURON_ADAPTIVE_LIF (3)"));
    }
    if (p.update_type != SNN_TRACE_UPDATE_LINEAR && p.update_type != SNN_TRACE_UPDATE_EXPONENTIAL) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.update_type ", p.update_type, " is unknown; pass "
                                           "SNN_TRACE_UPDATE_LINEAR (0) or SNN_TRACE_UPDATE_EXPONENTIAL (1)"));
    }
    const bool exponential = p.update_type == SNN_TRACE_UPDATE_EXPONENTIAL;
    const bool input_model = p.model == SNN_TRACE_NEURON_INPUT;
    const bool leaky = p.model == SNN_TRACE_NEURON_LIF || p.model == SNN_TRACE_NEURON_ADAPTIVE_LIF;
    const bool adaptive = p.model == SNN_TRACE_NEURON_ADAPTIVE_LIF;

    if (!(std::isfinite(p.dt) && p.dt > 0.0f)) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.dt must be finite and > 0, got ", p.dt,
                                           "; pass the duration of one time step"));
    }
    require_finite(p.alpha_t, "alpha_t", "trace increment per spike");
    TraceNeuronConsts c{};
    c.dt = p.dt;
    c.half_dt = 0.5f * p.dt;
    c.alpha_t = p.alpha_t;
    c.t_decay = decay_or_rate(p.tau_t, p.dt, exponential, "tau_t", "trace");
    if (!input_model) {
      require_finite(p.thresh, "thresh", "firing threshold");
      require_finite(p.v_rest, "v_rest", "resting voltage");
      require_finite(p.alpha_v, "alpha_v", "input scale");
      if (!(std::isfinite(p.duration_refrac) && p.duration_refrac >= 0.0f)) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("params.duration_refrac must be finite and >= 0, got ", p.duration_refrac,
                                             "; pass 0 for no refractory period"));
      }
      const double steps = static_cast<double>(p.duration_refrac) / static_cast<double>(p.dt);
      if (std::fabs(steps - std::round(steps)) > 1e-4 * std::fmax(1.0, steps)) {
        fail(SNN_ERROR_INVALID_ARGUMENT,
             str("params.duration_refrac = ", p.duration_refrac, " is not an integer multiple of dt = ", p.dt, " (",
                 steps, " steps); pass a whole number of time steps, e.g. ", std::round(steps) * p.dt));
      }
      c.thresh = p.thresh;
      c.v_rest = p.v_rest;
      c.alpha_v = p.alpha_v;
      c.duration = p.duration_refrac;
      if (leaky) c.v_decay = decay_or_rate(p.tau_v, p.dt, exponential, "tau_v", "voltage");
      if (adaptive) {
        require_finite(p.alpha_thresh, "alpha_thresh", "threshold increment per spike");
        c.alpha_thresh = p.alpha_thresh;
        c.th_decay = decay_or_rate(p.tau_thresh, p.dt, exponential, "tau_thresh", "threshold");
      }
    }

    // Shapes, devices, aliasing.
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    if (x.rank < 3) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("input must be float32 [T, B, ...cells] (rank >= 3), got ", describe(x), "; add the time and batch axes"));
    }
    if (x.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input ", shape_string(x.rank, x.shape), " has T = 0 time steps; pass T >= 1"));
    }
    struct Arg {
      const snn_tensor* tensor;
      std::string name;
      bool written;
    };
    std::vector<Arg> args{{&x, "input", false}};
    auto sequence = [&](snn_tensor& t, const char* name) {
      api::require_dtype(t, SNN_DTYPE_FLOAT32, name);
      api::require_same_shape(x, "input", t, name);
      api::require_same_device(x, "input", t, name);
      args.push_back({&t, name, true});
    };
    sequence(s_out, "spikes");
    sequence(tr_out, "trace_out");
    snn_tensor* rv = nullptr;
    if (record_v != nullptr) {
      if (input_model) {
        fail(SNN_ERROR_INVALID_ARGUMENT, "record_v is given but SNN_TRACE_NEURON_INPUT has no voltage; pass NULL");
      }
      rv = &api::require_tensor(record_v, "record_v");
      sequence(*rv, "record_v");
    }
    snn_tensor* st[4] = {nullptr, nullptr, nullptr, nullptr};
    if (state != nullptr) {
      static const char* const kNames[4] = {"state->v", "state->trace", "state->refractory", "state->threshold"};
      const bool uses[4] = {!input_model, true, !input_model, adaptive};
      snn_tensor* const given[4] = {state->v, state->trace, state->refractory, state->threshold};
      for (int k = 0; k < 4; ++k) {
        if (!uses[k] || given[k] == nullptr) continue;
        snn_tensor& t = api::require_tensor(given[k], kNames[k]);
        api::require_dtype(t, SNN_DTYPE_FLOAT32, kNames[k]);
        bool same = t.rank == x.rank - 1;
        for (int32_t d = 1; same && d < x.rank; ++d) same = t.shape[d - 1] == x.shape[d];
        if (!same) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str(kNames[k], " ", shape_string(t.rank, t.shape), " does not match input ",
                                               shape_string(x.rank, x.shape), "; pass float32 [B, ...cells] (the input's "
                                               "shape without T) or NULL to start at rest"));
        }
        api::require_same_device(x, "input", t, kNames[k]);
        st[k] = &t;
        args.push_back({&t, kNames[k], true});
      }
    }
    for (size_t i = 0; i < args.size(); ++i) {
      for (size_t j = i + 1; j < args.size(); ++j) {
        if (args[i].written || args[j].written) {
          api::require_disjoint(*args[i].tensor, args[i].name.c_str(), *args[j].tensor, args[j].name.c_str());
        }
      }
    }
    if (x.numel == 0) return;

    TraceNeuronArgs a{};
    a.input = static_cast<const float*>(x.data);
    a.spikes = static_cast<float*>(s_out.data);
    a.trace_out = static_cast<float*>(tr_out.data);
    a.record_v = api::float_data(rv);
    a.v = api::float_data(st[0]);
    a.trace = api::float_data(st[1]);
    a.refractory = api::float_data(st[2]);
    a.threshold = api::float_data(st[3]);
    a.steps = x.shape[0];
    a.batch = x.shape[1];
    a.neurons = x.numel / (x.shape[0] * x.shape[1]);
    a.model = static_cast<TraceNeuronModel>(p.model);
    a.exponential = exponential;
    a.c = c;
    std::lock_guard<std::mutex> lock(s_out.backend().mutex());
    run(s_out.backend(), trace_neuron_op, a);
  });
}
