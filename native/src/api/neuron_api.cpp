// snn_neuron_forward: validate every argument (options, scalars, shapes, devices, aliasing and
// the values of per-neuron decays), then run the backend's neuron kernel. Also the helpers
// snn_spike_count, snn_population_code and snn_sum_pool.
#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "api/neuron_options.h"
#include "api/validate.h"
#include "core/guard.h"
#include "neurons/neuron_args.h"
#include "snn/neuron.h"

using namespace snn;

namespace {

const char* model_name(int32_t model) {
  switch (model) {
    case SNN_NEURON_IF: return "SNN_NEURON_IF";
    case SNN_NEURON_LIF: return "SNN_NEURON_LIF";
    case SNN_NEURON_LI: return "SNN_NEURON_LI";
    case SNN_NEURON_ALIF: return "SNN_NEURON_ALIF";
    default: return "SNN_NEURON_CUBA_LIF";
  }
}

void require_flag(int32_t value, const char* name, const char* meaning0, const char* meaning1) {
  if (value != 0 && value != 1) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("params.", name, " must be 0 (", meaning0, ") or 1 (", meaning1, "), got ", value));
  }
}

// One decay of the model: which model uses it, what it is, and its scalar and tensor fields.
struct Decay {
  const char* name;     // "alpha"
  const char* meaning;  // "synaptic current decay"
  bool used;
  float scalar;
  const snn_tensor* per_neuron;
};

// Checks a decay's scalar (when no tensor is given) and returns the value the kernel uses.
float check_scalar_decay(const Decay& d, bool clip) {
  if (std::isnan(d.scalar)) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", d.name, " is nan; pass the ", d.meaning,
                                         " per step in [0, 1], e.g. exp(-dt / tau)"));
  }
  if (clip) return d.scalar < 0.0f ? 0.0f : (d.scalar > 1.0f ? 1.0f : d.scalar);
  if (!(d.scalar >= 0.0f && d.scalar <= 1.0f)) {
    fail(SNN_ERROR_INVALID_ARGUMENT,
         str("params.", d.name, " must be in [0, 1], got ", d.scalar, "; pass the ", d.meaning,
             " per step, e.g. exp(-dt / tau), or set clip_decays = 1 to clamp it into [0, 1]"));
  }
  return d.scalar;
}

// A tensor argument with the name it is reported under and whether the call writes it.
struct Arg {
  const snn_tensor* tensor;
  std::string name;
  bool written;
};

void require_sequence_shape(const snn_tensor& t, const char* name, const snn_tensor& input) {
  api::require_dtype(t, SNN_DTYPE_FLOAT32, name);
  api::require_same_shape(input, "input", t, name);
  api::require_same_device(input, "input", t, name);
}

void require_population_shape(const snn_tensor& t, const char* name, const snn_tensor& input) {
  api::require_dtype(t, SNN_DTYPE_FLOAT32, name);
  if (t.rank != 2 || t.shape[0] != input.shape[1] || t.shape[1] != input.shape[2]) {
    fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " ", shape_string(t.rank, t.shape), " does not match input ",
                                         shape_string(3, input.shape), "; pass a float32 tensor [", input.shape[1],
                                         ", ", input.shape[2], "] (one value per neuron and batch row) or NULL"));
  }
  api::require_same_device(input, "input", t, name);
}

}  // namespace

SNN_API snn_status snn_neuron_forward(const snn_tensor* input, const snn_neuron_params* params,
                                      const snn_tensor* recurrent_weight, const snn_neuron_state* state,
                                      snn_tensor* output, const snn_neuron_record* record) {
  return guard("snn_neuron_forward", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    api::require_ptr(params, "params");
    snn_tensor& out = api::require_tensor(output, "output");
    const snn_neuron_params p = *params;

    // Options.
    if (p.model < SNN_NEURON_IF || p.model > SNN_NEURON_CUBA_LIF) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.model ", p.model, " is unknown; pass SNN_NEURON_IF (0), "
                                           "SNN_NEURON_LIF (1), SNN_NEURON_LI (2), SNN_NEURON_ALIF (3) or "
                                           "SNN_NEURON_CUBA_LIF (4)"));
    }
    api::require_timing_and_reset(p);
    require_flag(p.inclusive_threshold, "inclusive_threshold", "spike when V > threshold", "spike when V >= threshold");
    require_flag(p.clip_decays, "clip_decays", "reject decays outside [0, 1]", "clamp decays into [0, 1]");
    if (p.refractory_steps < 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.refractory_steps must be >= 0, got ", p.refractory_steps,
                                           "; pass 0 for no refractory period"));
    }
    if (p.max_spikes_per_step < 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("params.max_spikes_per_step must be >= 0, got ", p.max_spikes_per_step,
                                           "; pass 1 (or 0) for binary spikes, k > 1 for up to k spikes per step"));
    }
    const bool li = p.model == SNN_NEURON_LI;
    if (li) {
      const char* what = p.refractory_steps != 0   ? "refractory_steps must be 0"
                         : p.max_spikes_per_step > 1 ? "max_spikes_per_step must be 0 or 1"
                         : recurrent_weight != nullptr ? "recurrent_weight must be NULL"
                                                       : nullptr;
      if (what != nullptr) {
        fail(SNN_ERROR_INVALID_ARGUMENT,
             str("SNN_NEURON_LI never spikes, so ", what, "; use SNN_NEURON_LIF for a spiking population"));
      }
    } else if (!(std::isfinite(p.threshold) && p.threshold > 0.0f)) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("params.threshold must be finite and > 0, got ", p.threshold, "; pass a positive threshold"));
    }

    // Decays.
    const bool clip = p.clip_decays == 1;
    Decay decays[3] = {
        {"alpha", "synaptic current decay", p.model == SNN_NEURON_CUBA_LIF, p.alpha, p.alpha_per_neuron},
        {"beta", "membrane decay", p.model != SNN_NEURON_IF, p.beta, p.beta_per_neuron},
        {"gamma", "threshold adaptation decay", p.model == SNN_NEURON_ALIF, p.gamma, p.gamma_per_neuron},
    };
    float scalars[3] = {0.0f, 0.0f, 0.0f};
    for (int k = 0; k < 3; ++k) {
      const Decay& d = decays[k];
      if (d.per_neuron != nullptr && !d.used) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("params.", d.name, "_per_neuron is given but ", model_name(p.model),
                                             " has no ", d.meaning, "; pass NULL"));
      }
      if (d.used && d.per_neuron == nullptr) scalars[k] = check_scalar_decay(d, clip);
    }

    // Shapes and devices.
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    api::require_rank(x, 3, "input", "[T, B, N]");
    if (x.shape[0] < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input ", shape_string(3, x.shape), " has T = 0 time steps; pass T >= 1"));
    }
    const int64_t N = x.shape[2];
    require_sequence_shape(out, "output", x);
    std::vector<Arg> args{{&x, "input", false}, {&out, "output", true}};

    const snn_tensor* w = nullptr;
    if (recurrent_weight != nullptr) {
      w = &api::require_tensor(recurrent_weight, "recurrent_weight");
      api::require_dtype(*w, SNN_DTYPE_FLOAT32, "recurrent_weight");
      if (w->rank != 2 || w->shape[0] != N || w->shape[1] != N) {
        fail(SNN_ERROR_INVALID_ARGUMENT,
             str("recurrent_weight ", shape_string(w->rank, w->shape), " does not match input ",
                 shape_string(3, x.shape), "; pass float32 [", N, ", ", N, "] indexed [pre, post], or NULL"));
      }
      api::require_same_device(x, "input", *w, "recurrent_weight");
      args.push_back({w, "recurrent_weight", false});
    }
    const snn_tensor* per_neuron[3] = {nullptr, nullptr, nullptr};
    for (int k = 0; k < 3; ++k) {
      if (decays[k].per_neuron == nullptr) continue;
      const std::string name = str("params.", decays[k].name, "_per_neuron");
      const snn_tensor& d = api::require_tensor(decays[k].per_neuron, name.c_str());
      api::require_dtype(d, SNN_DTYPE_FLOAT32, name.c_str());
      if (d.rank != 1 || d.shape[0] != N) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str(name, " ", shape_string(d.rank, d.shape), " does not match input ",
                                             shape_string(3, x.shape), "; pass float32 [", N,
                                             "] (one decay per neuron) or NULL for the scalar params.",
                                             decays[k].name));
      }
      api::require_same_device(x, "input", d, name.c_str());
      per_neuron[k] = &d;
      args.push_back({&d, name, false});
    }

    const bool recurrent = w != nullptr;
    const bool uses[5] = {true, p.model == SNN_NEURON_CUBA_LIF, p.model == SNN_NEURON_ALIF, p.refractory_steps > 0,
                          recurrent && p.spike_timing == SNN_SPIKE_AFTER_INPUT};
    snn_tensor* st[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
    static const char* const kStateNames[5] = {"state->membrane", "state->current", "state->adaptation",
                                               "state->refractory", "state->spikes"};
    if (state != nullptr) {
      snn_tensor* const given[5] = {state->membrane, state->current, state->adaptation, state->refractory,
                                    state->spikes};
      for (int k = 0; k < 5; ++k) {
        if (!uses[k] || given[k] == nullptr) continue;  // unused fields are ignored
        st[k] = &api::require_tensor(given[k], kStateNames[k]);
        require_population_shape(*st[k], kStateNames[k], x);
        args.push_back({st[k], kStateNames[k], true});
      }
    }

    snn_tensor* rec[4] = {nullptr, nullptr, nullptr, nullptr};
    if (record != nullptr) {
      static const char* const kRecordNames[4] = {"record->membrane", "record->current", "record->adaptation",
                                                  "record->refractory"};
      static const char* const kRecordRule[4] = {
          "", "only SNN_NEURON_CUBA_LIF has a synaptic current", "only SNN_NEURON_ALIF has a threshold adaptation",
          "there is no refractory counter unless params.refractory_steps > 0"};
      const bool produced[4] = {true, uses[1], uses[2], uses[3]};
      snn_tensor* const given[4] = {record->membrane, record->current, record->adaptation, record->refractory};
      for (int k = 0; k < 4; ++k) {
        if (given[k] == nullptr) continue;
        if (!produced[k]) {
          fail(SNN_ERROR_INVALID_ARGUMENT, str(kRecordNames[k], " is given but ", kRecordRule[k], "; pass NULL"));
        }
        rec[k] = &api::require_tensor(given[k], kRecordNames[k]);
        require_sequence_shape(*rec[k], kRecordNames[k], x);
        // The membrane record may be the input itself (updated in place), nothing else may overlap.
        args.push_back({rec[k], kRecordNames[k], !(k == 0 && rec[k]->data == x.data && x.numel > 0)});
      }
    }
    for (size_t i = 0; i < args.size(); ++i) {
      for (size_t j = i + 1; j < args.size(); ++j) {
        if (args[i].written || args[j].written) {
          api::require_disjoint(*args[i].tensor, args[i].name.c_str(), *args[j].tensor, args[j].name.c_str());
        }
      }
    }

    // Zero-filled state for what a recurrent run keeps in device memory but the caller did not pass.
    Ref<snn_tensor> scratch[4];
    if (recurrent) {
      const int64_t shape[2] = {x.shape[1], x.shape[2]};
      for (int k = 0; k < 4; ++k) {
        if (uses[k] && st[k] == nullptr) {
          scratch[k] = make_tensor(*out.device, SNN_DTYPE_FLOAT32, 2, shape);
          st[k] = scratch[k].get();
        }
      }
    }

    const snn_tensor* scale = nullptr;
    if (p.input_scale_per_neuron != nullptr) {
      scale = &api::require_tensor(p.input_scale_per_neuron, "params.input_scale_per_neuron");
      api::require_dtype(*scale, SNN_DTYPE_FLOAT32, "params.input_scale_per_neuron");
      if (scale->rank != 1 || scale->shape[0] != N) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("params.input_scale_per_neuron ", shape_string(scale->rank, scale->shape),
                                             " does not match input ", shape_string(3, x.shape), "; pass float32 [",
                                             N, "] (one input gain per neuron) or NULL"));
      }
      api::require_same_device(x, "input", *scale, "params.input_scale_per_neuron");
    }
    // With an input scale the kernel reads the scaled input from a scratch tensor, so `input` (which
    // record->membrane may overwrite in place) is read before anything is written.
    Ref<snn_tensor> scaled;
    if (scale != nullptr) scaled = make_tensor(*out.device, SNN_DTYPE_FLOAT32, 3, x.shape, false);

    std::lock_guard<std::mutex> lock(out.backend().mutex());
    // The values of per-neuron decays: NaN never, outside [0, 1] only when they are clamped.
    for (int k = 0; k < 3; ++k) {
      if (per_neuron[k] == nullptr) continue;
      float bad = 0.0f;
      const float inf = std::numeric_limits<float>::infinity();
      const int64_t i = out.backend().find_outside_range(static_cast<const float*>(per_neuron[k]->data), N,
                                                         clip ? -inf : 0.0f, clip ? inf : 1.0f, &bad);
      if (i >= 0) {
        fail(SNN_ERROR_INVALID_ARGUMENT,
             clip ? str("params.", decays[k].name, "_per_neuron[", i, "] is nan; every ", decays[k].meaning,
                        " must be a number (values outside [0, 1] are clamped)")
                  : str("params.", decays[k].name, "_per_neuron[", i, "] is ", bad, " but every ", decays[k].meaning,
                        " must be in [0, 1]; pass decays per step, e.g. exp(-dt / tau), or set clip_decays = 1 "
                        "to clamp them"));
      }
    }
    if (x.numel == 0) return;

    NeuronArgs a{};
    a.input = static_cast<const float*>(scaled.get() != nullptr ? scaled->data : x.data);
    a.recurrent = api::float_data(w);
    a.output = static_cast<float*>(out.data);
    a.alpha = api::float_data(per_neuron[0]);
    a.beta = api::float_data(per_neuron[1]);
    a.gamma = api::float_data(per_neuron[2]);
    a.alpha_scalar = scalars[0];
    a.beta_scalar = scalars[1];
    a.gamma_scalar = scalars[2];
    a.clip = clip;
    a.v = api::float_data(st[0]);
    a.i = api::float_data(st[1]);
    a.a = api::float_data(st[2]);
    a.refractory = api::float_data(st[3]);
    a.spikes = api::float_data(st[4]);
    a.record_membrane = api::float_data(rec[0]);
    a.record_current = api::float_data(rec[1]);
    a.record_adaptation = api::float_data(rec[2]);
    a.record_refractory = api::float_data(rec[3]);
    a.steps = x.shape[0];
    a.batch = x.shape[1];
    a.neurons = N;
    a.model = static_cast<NeuronModel>(p.model);
    a.timing = static_cast<SpikeTiming>(p.spike_timing);
    a.reset = static_cast<ResetMode>(p.reset_mode);
    a.inclusive = p.inclusive_threshold == 1;
    a.refractory_steps = li ? 0 : p.refractory_steps;
    a.max_spikes = li || p.max_spikes_per_step < 1 ? 1 : p.max_spikes_per_step;
    a.threshold = li ? 1.0f : p.threshold;
    if (scale != nullptr) {
      run(out.backend(), scale_columns_op,
          ScaleColumnsArgs{static_cast<const float*>(x.data), static_cast<const float*>(scale->data),
                           static_cast<float*>(scaled->data), x.shape[0] * x.shape[1], N});
    }
    run(out.backend(), neuron_op, a);
  });
}

SNN_API snn_status snn_spike_count(const snn_tensor* spikes, snn_tensor* counts) {
  return guard("snn_spike_count", [&] {
    const snn_tensor& s = api::require_tensor(spikes, "spikes");
    snn_tensor& c = api::require_tensor(counts, "counts");
    api::require_dtype(s, SNN_DTYPE_FLOAT32, "spikes");
    api::require_rank(s, 3, "spikes", "[T, B, N]");
    api::require_dtype(c, SNN_DTYPE_FLOAT32, "counts");
    if (c.rank != 2 || c.shape[0] != s.shape[1] || c.shape[1] != s.shape[2]) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("counts ", shape_string(c.rank, c.shape), " does not match spikes ",
                                           shape_string(3, s.shape), "; pass float32 [", s.shape[1], ", ",
                                           s.shape[2], "] (one count per batch row and neuron)"));
    }
    api::require_same_device(s, "spikes", c, "counts");
    api::require_disjoint(s, "spikes", c, "counts");
    if (s.numel == 0) return;
    SpikeCountArgs args{static_cast<const float*>(s.data), static_cast<float*>(c.data), s.shape[0], c.numel};
    std::lock_guard<std::mutex> lock(c.backend().mutex());
    run(c.backend(), spike_count_op, args);
  });
}

SNN_API snn_status snn_population_code(const snn_tensor* input, int32_t num_classes, snn_tensor* output) {
  return guard("snn_population_code", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    snn_tensor& out = api::require_tensor(output, "output");
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    if (x.rank < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("input must have rank >= 1 [..., features], got ", describe(x)));
    }
    if (num_classes < 1) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("num_classes must be >= 1, got ", num_classes));
    }
    const int64_t features = x.shape[x.rank - 1];
    if (features % num_classes != 0) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("input has ", features, " neurons on its last axis, not a multiple of num_classes = ", num_classes,
               "; give the preceding layer a multiple of ", num_classes, " neurons"));
    }
    int64_t expected[SNN_MAX_RANK];
    for (int32_t d = 0; d < x.rank; ++d) expected[d] = x.shape[d];
    expected[x.rank - 1] = num_classes;
    bool same = out.rank == x.rank;
    for (int32_t d = 0; same && d < x.rank; ++d) same = out.shape[d] == expected[d];
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "output");
    if (!same) {
      fail(SNN_ERROR_INVALID_ARGUMENT, str("output must be float32 ", shape_string(x.rank, expected), " for input ",
                                           shape_string(x.rank, x.shape), " and ", num_classes, " classes, got ",
                                           shape_string(out.rank, out.shape)));
    }
    api::require_same_device(x, "input", out, "output");
    api::require_disjoint(x, "input", out, "output");
    if (out.numel == 0) return;
    PopulationCodeArgs args{static_cast<const float*>(x.data), static_cast<float*>(out.data), out.numel / num_classes,
                            num_classes, features / num_classes};
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    run(out.backend(), population_code_op, args);
  });
}

SNN_API snn_status snn_sum_pool(const snn_tensor* input, const int64_t* window, const int64_t* strides,
                                int32_t padding, snn_tensor* output) {
  return guard("snn_sum_pool", [&] {
    const snn_tensor& x = api::require_tensor(input, "input");
    api::require_ptr(window, "window");
    api::require_ptr(strides, "strides");
    snn_tensor& out = api::require_tensor(output, "output");
    api::require_dtype(x, SNN_DTYPE_FLOAT32, "input");
    if (x.rank < 1) fail(SNN_ERROR_INVALID_ARGUMENT, str("input must have rank >= 1, got ", describe(x)));
    if (padding != SNN_PADDING_VALID && padding != SNN_PADDING_SAME) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("padding ", padding, " is unknown; pass SNN_PADDING_VALID (0) or SNN_PADDING_SAME (1)"));
    }
    SumPoolArgs args{};
    args.rank = x.rank;
    args.window_numel = 1;
    int64_t shape[SNN_MAX_RANK];
    for (int32_t d = 0; d < x.rank; ++d) {
      const int64_t in = x.shape[d], w = window[d], s = strides[d];
      if (w < 1 || s < 1) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("window[", d, "] = ", w, " and strides[", d, "] = ", s,
                                             " must both be >= 1; pass 1 and 1 to leave axis ", d, " alone"));
      }
      if (in > 0 && w > in) {
        fail(SNN_ERROR_INVALID_ARGUMENT, str("window[", d, "] = ", w, " is larger than axis ", d, " of input ",
                                             shape_string(x.rank, x.shape), "; pass a window of at most ", in));
      }
      const int64_t o = padding == SNN_PADDING_VALID ? (in >= w ? (in - w) / s + 1 : 0) : (in + s - 1) / s;
      const int64_t total = padding == SNN_PADDING_SAME ? std::max<int64_t>((o - 1) * s + w - in, 0) : 0;
      args.in_shape[d] = in;
      args.out_shape[d] = shape[d] = o;
      args.window[d] = w;
      args.stride[d] = s;
      args.pad_low[d] = total / 2;
      args.window_numel *= w;
    }
    api::require_dtype(out, SNN_DTYPE_FLOAT32, "output");
    bool same = out.rank == x.rank;
    for (int32_t d = 0; same && d < x.rank; ++d) same = out.shape[d] == shape[d];
    if (!same) {
      fail(SNN_ERROR_INVALID_ARGUMENT,
           str("output must be float32 ", shape_string(x.rank, shape), ", the ",
               padding == SNN_PADDING_SAME ? "SAME" : "VALID", "-padded pooling of input ",
               shape_string(x.rank, x.shape), ", got ", shape_string(out.rank, out.shape)));
    }
    api::require_same_device(x, "input", out, "output");
    api::require_disjoint(x, "input", out, "output");
    if (out.numel == 0) return;
    args.input = static_cast<const float*>(x.data);
    args.output = static_cast<float*>(out.data);
    args.out_numel = out.numel;
    std::lock_guard<std::mutex> lock(out.backend().mutex());
    run(out.backend(), sum_pool_op, args);
  });
}
