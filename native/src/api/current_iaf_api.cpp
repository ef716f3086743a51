// snn_iaf_forward: validate the constants, shapes, devices and aliasing, turn the constants into
// the per-step gain and noise scale (per neuron when the time constants or potentials are), then
// run the backend's integrate-and-fire kernel.
#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "api/validate.h"
#include "core/guard.h"
#include "current_iaf/current_iaf_args.h"
#include "kernels/args.h"
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

SNN_API snn_status snn_iaf_forward(const snn_tensor* input, const snn_tensor* weight, const snn_tensor* bias,
                                   const snn_iaf_params* params, const snn_iaf_state* state, snn_tensor* spikes,
                                   snn_tensor* record_membrane) {
  return guard("snn_iaf_forward", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
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
    if (p.weight_layout != SNN_WEIGHT_NEURON_MAJOR && p.weight_layout != SNN_WEIGHT_INPUT_MAJOR) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.weight_layout ", p.weight_layout, " is unknown; pass "
                                           "SNN_WEIGHT_NEURON_MAJOR (0) or SNN_WEIGHT_INPUT_MAJOR (1)"));
    }
    if (!(std::isfinite(p.noise_std) && p.noise_std >= 0.0)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("params.noise_std must be finite and >= 0, got ", p.noise_std, "; pass 0 for no noise"));
    }

    // Shapes: input [T, B, N_in], spikes [T, B, N]; N_in == N without weight.
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_rank(x, 3, "input", "[T, B, N_in]");
    if (x.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input ", shape_string(3, x.shape), " has T = 0 time steps; pass T >= 1"));
    }
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "spikes");
    api::require_rank(out, 3, "spikes", "[T, B, N]");
    api::require_same_device(x, "input", out, "spikes");
    const int64_t T = x.shape[0], B = x.shape[1], N = out.shape[2], n_in = x.shape[2];
    if (out.shape[0] != T || out.shape[1] != B) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("spikes ", shape_string(3, out.shape), " does not match input ",
                                           shape_string(3, x.shape), "; pass float32 [", T, ", ", B, ", N]"));
    }
    std::vector<Arg> args{{&x, "input", false}, {&out, "spikes", true}};
    const snn_tensor* w = nullptr;
    if (weight != nullptr) {
      w = &api::require_tensor(weight, "weight");
      api::require_dtype(*w, SNN_DTYPE_FLOAT32, "weight");
      const bool by_input = p.weight_layout == SNN_WEIGHT_INPUT_MAJOR;
      if (w->rank != 2 || w->shape[0] != (by_input ? n_in : N) || w->shape[1] != (by_input ? N : n_in)) {
        fail(SNN_ERROR_INVALID_ARGUMENT,
             by_input ? str("weight ", shape_string(w->rank, w->shape), " does not match input ",
                            shape_string(3, x.shape), " and spikes ", shape_string(3, out.shape), "; pass float32 [",
                            n_in, ", ", N, "] (params.weight_layout is SNN_WEIGHT_INPUT_MAJOR: row i holds input i's "
                            "weights into every neuron), or NULL when input is already the current")
                      : str("weight ", shape_string(w->rank, w->shape), " does not match input ",
                            shape_string(3, x.shape), " and spikes ", shape_string(3, out.shape), "; pass float32 [",
                            N, ", ", n_in, "] (row n: the weights into neuron n), or NULL when input is already the "
                            "current"));
      }
      api::require_same_device(x, "input", *w, "weight");
      args.push_back({w, "weight", false});
    } else if (n_in != N) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("without weight, input ", shape_string(3, x.shape),
                                           " is the current and must match spikes ", shape_string(3, out.shape)));
    }
    const snn_tensor* b = nullptr;
    if (bias != nullptr) {
      b = &api::require_tensor(bias, "bias");
      api::require_dtype(*b, SNN_DTYPE_FLOAT32, "bias");
      if (b->rank != 1 || b->shape[0] != N) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("bias ", shape_string(b->rank, b->shape), " does not match spikes ",
                                             shape_string(3, out.shape), "; pass float32 [", N,
                                             "] (one current per neuron, amperes) or NULL"));
      }
      api::require_same_device(x, "input", *b, "bias");
      args.push_back({b, "bias", false});
    }
    snn_tensor* rec = nullptr;
    if (record_membrane != nullptr) {
      rec = &api::require_tensor(record_membrane, "record_membrane");
      api::require_dtype(*rec, SNN_DTYPE_FLOAT32, "record_membrane");
      api::require_same_shape(out, "spikes", *rec, "record_membrane");
      api::require_same_device(x, "input", *rec, "record_membrane");
      args.push_back({rec, "record_membrane", true});
    }
    snn_tensor* st[2] = {nullptr, nullptr};
    static const char* const kNames[2] = {"state->membrane", "state->refractory"};
    if (state != nullptr) {
      snn_tensor* const given[2] = {state->membrane, state->refractory};
      for (int k = 0; k < 2; ++k) {
        if (given[k] == nullptr) continue;
        st[k] = &api::require_tensor(given[k], kNames[k]);
        api::require_dtype(*st[k], SNN_DTYPE_FLOAT32, kNames[k]);
        if (st[k]->rank != 2 || st[k]->shape[0] != B || st[k]->shape[1] != N) {
          fail(SNN_ERROR_INVALID_ARGUMENT,
               str(kNames[k], " ", shape_string(st[k]->rank, st[k]->shape), " does not match spikes ",
                   shape_string(3, out.shape), "; pass a float32 tensor [", B, ", ", N,
                   "] (one value per batch row and neuron) or NULL"));
        }
        api::require_same_device(x, "input", *st[k], kNames[k]);
        args.push_back({st[k], kNames[k], true});
      }
    }
    // Per-neuron constants: float64 [N] on the input's device, read to the host to be checked.
    struct PerNeuron {
      const snn_tensor* given;
      const char* name;
      double scalar;
      std::vector<double> values;
    };
    PerNeuron pn[4] = {{p.tau_mem_per_neuron, "tau_mem", p.tau_mem, {}},
                       {p.v_thresh_per_neuron, "v_thresh", p.v_thresh, {}},
                       {p.v_reset_per_neuron, "v_reset", p.v_reset, {}},
                       {p.v_rest_per_neuron, "v_rest", p.v_rest, {}}};
    bool any_per_neuron = false;
    for (PerNeuron& k : pn) {
      if (k.given == nullptr) continue;
      const std::string name = str("params.", k.name, "_per_neuron");
      const snn_tensor& t = api::require_tensor(k.given, name.c_str());
      api::require_dtype(t, SNN_DTYPE_FLOAT64, name.c_str());
      if (t.rank != 1 || t.shape[0] != N) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " ", shape_string(t.rank, t.shape), " does not match spikes ",
                                             shape_string(3, out.shape), "; pass float64 [", N,
                                             "] (one value per neuron) or NULL for params.", k.name));
      }
      api::require_same_device(x, "input", t, name.c_str());
      args.push_back({&t, k.name, false});
      any_per_neuron = true;
    }
    for (PerNeuron& k : pn) {
      k.values.assign(static_cast<size_t>(N), k.scalar);
      if (k.given == nullptr || N == 0) continue;
      std::lock_guard<std::mutex> lock(out.backend().mutex());
      out.backend().copy_to_host(k.values.data(), k.given->data, static_cast<size_t>(N) * sizeof(double));
    }
    for (int64_t n = 0; any_per_neuron && n < N; ++n) {
      const size_t i = static_cast<size_t>(n);
      const double tau = pn[0].values[i], thresh = pn[1].values[i], reset = pn[2].values[i];
      if (!(std::isfinite(tau) && tau > 0.0)) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("params.tau_mem_per_neuron[", n, "] must be finite and > 0, got ", tau,
                                             "; pass each neuron's membrane time constant in seconds, e.g. 0.02"));
      }
      for (int k = 1; k < 4; ++k) {
        if (!std::isfinite(pn[k].values[i])) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", pn[k].name, pn[k].given != nullptr ? "_per_neuron" : "", "[",
                                               n, "] is ", pn[k].values[i], "; pass finite potentials in volts"));
        }
      }
      if (!(thresh > reset)) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("neuron ", n, ": v_thresh (", thresh, ") must be > v_reset (", reset,
                                             "); otherwise it would fire again straight after its reset"));
      }
    }

    for (size_t i = 0; i < args.size(); ++i) {
      for (size_t j = i + 1; j < args.size(); ++j) {
        if (args[i].written || args[j].written) {
          api::require_disjoint(*args[i].tensor, args[i].name, *args[j].tensor, args[j].name);
        }
      }
    }
    if (out.numel == 0) return;

    // With a projection, the CPU kernel computes the currents itself, a few steps at a time. On
    // CUDA, time runs in blocks: the block's currents (one GEMM) are consumed by the neurons, and
    // the state lives in device memory between blocks.
    const bool fused = out.backend().host_addressable();
    const int64_t per_step = B * N;
    const int64_t block_elements = int64_t{1} << 22;  // 16 MB of currents: a handful of launches
    const int64_t block = w == nullptr || fused ? T : std::min(T, std::max<int64_t>(1, block_elements / per_step));
    constexpr int64_t kBlasMax = std::numeric_limits<int32_t>::max();
    if (w != nullptr && ((fused ? B * n_in : block * B) > kBlasMax || N > kBlasMax || n_in > kBlasMax)) {
      fail(SNN_ERROR_UNSUPPORTED, str("the GEMM would be ", fused ? B * n_in : block * B, " x ", N, " x ", n_in,
                                      " but BLAS dimensions are limited to 2^31 - 1; split the batch"));
    }
    Ref<snn_tensor> scratch_current, scratch_state[2], constants;
    if (w != nullptr && !fused) {
      const int64_t shape[3] = {block, B, N};
      scratch_current = make_tensor(*out.device, SNN_DTYPE_FLOAT32, 3, shape);
      if (block < T) {
        const int64_t state_shape[2] = {B, N};
        for (int k = 0; k < 2; ++k) {
          if (st[k] != nullptr) continue;
          scratch_state[k] = make_tensor(*out.device, SNN_DTYPE_FLOAT32, 2, state_shape);  // zero-filled
          st[k] = scratch_state[k].get();
        }
      }
    }

    const double h = p.dt / p.tau_mem;
    CurrentIafArgs a{};
    a.bias = api::float_data(b);
    a.v = api::float_data(st[0]);
    a.refractory = api::float_data(st[1]);
    a.batch = B;
    a.neurons = N;
    const bool exact = p.integrator == SNN_IAF_EXACT;
    a.gain = iaf::gain(exact, h);
    a.v_thresh = p.v_thresh;
    a.v_reset = p.v_reset;
    a.v_rest = p.v_rest;
    a.resistance = p.resistance;
    a.noise_scale = p.noise_std * std::sqrt(2.0 * p.tau_mem / p.dt) / p.resistance;
    a.refractory_steps = p.refractory_steps;
    a.seed = p.seed;

    std::vector<double> host;  // [kPerNeuronFields, N], the per-neuron constants the kernels read
    if (any_per_neuron) {
      host.resize(static_cast<size_t>(iaf::kPerNeuronFields * N));
      for (int64_t n = 0; n < N; ++n) {
        const size_t i = static_cast<size_t>(n);
        const double tau = pn[0].values[i];
        host[static_cast<size_t>(iaf::kGain * N + n)] = iaf::gain(exact, p.dt / tau);
        host[static_cast<size_t>(iaf::kNoiseScale * N + n)] = p.noise_std * std::sqrt(2.0 * tau / p.dt) / p.resistance;
        host[static_cast<size_t>(iaf::kVRest * N + n)] = pn[3].values[i];
        host[static_cast<size_t>(iaf::kVThresh * N + n)] = pn[1].values[i];
        host[static_cast<size_t>(iaf::kVReset * N + n)] = pn[2].values[i];
      }
      const int64_t shape[2] = {iaf::kPerNeuronFields, N};
      constants = make_tensor(*out.device, SNN_DTYPE_FLOAT64, 2, shape, false);
    }
    std::vector<float> rest_state;  // v at rest of every (b, n), when the CUDA blocks need a zero state filled
    if (scratch_state[0].get() != nullptr && any_per_neuron) {
      rest_state.resize(static_cast<size_t>(per_step));
      for (int64_t j = 0; j < per_step; ++j) rest_state[static_cast<size_t>(j)] = static_cast<float>(pn[3].values[static_cast<size_t>(j % N)]);
    }

    std::lock_guard<std::mutex> lock(out.backend().mutex());
    if (constants.get() != nullptr) {
      out.backend().copy_from_host(constants->data, host.data(), host.size() * sizeof(double));
      a.per_neuron = static_cast<const double*>(constants->data);
    }
    if (scratch_state[0].get() != nullptr && any_per_neuron) {
      out.backend().copy_from_host(scratch_state[0]->data, rest_state.data(), rest_state.size() * sizeof(float));
    } else if (scratch_state[0].get() != nullptr) {
      const float v_rest = static_cast<float>(p.v_rest);
      out.backend().fill(scratch_state[0]->data, static_cast<size_t>(per_step), sizeof(float), &v_rest);
    }
    for (int64_t t0 = 0; t0 < T; t0 += block) {
      const int64_t steps = std::min(block, T - t0);
      if (w != nullptr && fused) {
        a.input = static_cast<const float*>(x.data);
        a.weight = static_cast<const float*>(w->data);
        a.inputs = n_in;
        a.weight_input_major = p.weight_layout == SNN_WEIGHT_INPUT_MAJOR;
      } else if (w != nullptr) {
        LinearArgs la{};
        la.input = static_cast<const float*>(x.data) + t0 * B * n_in;
        la.weight = static_cast<const float*>(w->data);
        la.bias = nullptr;
        la.output = static_cast<float*>(scratch_current->data);
        la.rows = steps * B;
        la.outputs = N;
        la.inputs = n_in;
        la.weight_input_major = p.weight_layout == SNN_WEIGHT_INPUT_MAJOR;
        run(out.backend(), linear_op, la);
        a.current = static_cast<const float*>(scratch_current->data);
      } else {
        a.current = static_cast<const float*>(x.data);
      }
      a.spikes = static_cast<float*>(out.data) + t0 * per_step;
      a.record_v = rec != nullptr ? static_cast<float*>(rec->data) + t0 * per_step : nullptr;
      a.steps = steps;
      a.step0 = p.step + static_cast<uint64_t>(t0);
      run(out.backend(), current_iaf_op, a);
    }
  });
}
