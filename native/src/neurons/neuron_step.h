// One time step of one neuron of the family in snn/neuron.h: the single definition of the
// arithmetic, compiled by g++ for the CPU kernels and by nvcc for the CUDA kernels, so both
// backends round every operation identically. Both compilers run without floating-point
// contraction (-ffp-contract=off, --fmad=false), so no a * b + c is fused into an FMA.
#pragma once

#include <math.h>

#include "neurons/neuron_args.h"

#include "core/inline.h"

namespace snn::neuron {

// Loop-invariant settings of a run.
struct StepConfig {
  float threshold;
  float max_spikes;        // >= 1
  float refractory_steps;  // >= 0
  ResetMode reset;
  bool inclusive;
};

inline StepConfig step_config(const NeuronArgs& a) {
  return StepConfig{a.threshold, static_cast<float>(a.max_spikes), static_cast<float>(a.refractory_steps), a.reset,
                    a.inclusive};
}

// The state of one neuron between steps (fields a model does not use stay as they are).
struct Cell {
  float v;    // membrane
  float i;    // synaptic current (CuBaLIF)
  float a;    // threshold adaptation (ALIF)
  float ref;  // refractory steps left
};

// A decay as the kernel uses it: clamped into [0, 1] when the run clips decays. Written with
// comparisons (not fminf/fmaxf) so that it vectorises and treats -0 the same everywhere.
SNN_INLINE float clip_decay(float d, bool clip) {
  if (!clip) return d;
  return d < 0.0f ? 0.0f : (d > 1.0f ? 1.0f : d);
}

// Spike count for membrane v against effective threshold th: 0/1, or with kExtras and
// max_spikes > 1, min(max_spikes, floor(v / th)) (at least 1 when it fires).
template <bool kExtras>
SNN_INLINE float spike_count(float v, float th, const StepConfig& c) {
  // inclusive ? v >= th : v > th, written with mask operations so that it vectorises.
  const bool fire = (v > th) | (c.inclusive & (v == th));
  if constexpr (kExtras) {
    // Branch-free, so that the loop over neurons stays vectorisable; max_spikes = 1 gives 1.
    float n = floorf(v / th);
    n = n < 1.0f ? 1.0f : n;
    n = n > c.max_spikes ? c.max_spikes : n;
    return fire ? n : 0.0f;
  }
  return fire ? 1.0f : 0.0f;
}

SNN_INLINE float apply_reset(float v, float n, float th, ResetMode mode) {
  if (mode == ResetMode::kSubtract) return v - n * th;
  if (mode == ResetMode::kZero) return n > 0.0f ? 0.0f : v;
  return v;
}

SNN_INLINE float effective_threshold(NeuronModel m, const Cell& s, const StepConfig& c) {
  return m == NeuronModel::kAlif ? c.threshold + s.a : c.threshold;
}

// The spikes a neuron emits at a step under SNN_SPIKE_BEFORE_INPUT: a function of the state
// entering the step only (the recurrent kernels compute all of them before any input).
template <NeuronModel M, bool kExtras>
SNN_INLINE float spikes_before_input(const Cell& s, const StepConfig& c) {
  if constexpr (M == NeuronModel::kLi) return 0.0f;
  const bool held = kExtras && s.ref > 0.0f;
  const float n = spike_count<kExtras>(s.v, effective_threshold(M, s, c), c);  // evaluated always: no branch
  return held ? 0.0f : n;
}

// Advances `s` by one step with input x (and recurrent input r when kRecurrent). Returns the
// output (spike count; V' for LI) and sets `membrane` to the value the spikes were decided from.
template <NeuronModel M, SpikeTiming TM, bool kExtras, bool kRecurrent>
SNN_INLINE float step(float x, float r, float alpha, float beta, float gamma, const StepConfig& c, Cell& s,
                           float& membrane) {
  if constexpr (M == NeuronModel::kLi) {
    const float v = beta * s.v + x;
    s.v = v;
    membrane = v;
    return v;
  } else {
    const bool held = kExtras && s.ref > 0.0f;
    const float th = effective_threshold(M, s, c);
    float n;
    if constexpr (TM == SpikeTiming::kBeforeInput) {
      membrane = s.v;
      n = spikes_before_input<M, kExtras>(s, c);
      float v;
      if constexpr (M == NeuronModel::kCubaLif) {
        const float reset = apply_reset(s.v, n, th, c.reset);  // once, before the decay (never a second time after it)
        float in = alpha * s.i + x;
        if constexpr (kRecurrent) in = in + r;
        s.i = in;
        v = beta * reset + in;
      } else {
        float base = M == NeuronModel::kIf ? s.v : beta * s.v;
        if (c.reset == ResetMode::kZero && n > 0.0f) base = 0.0f;
        v = base + x;
        if constexpr (kRecurrent) v = v + r;
        if (c.reset == ResetMode::kSubtract) v = v - n * th;
      }
      s.v = held ? s.v : v;
    } else {
      float v;
      if constexpr (M == NeuronModel::kCubaLif) {
        float in = alpha * s.i + x;
        if constexpr (kRecurrent) in = in + r;
        s.i = in;
        v = beta * s.v + in;
      } else {
        v = (M == NeuronModel::kIf ? s.v : beta * s.v) + x;
        if constexpr (kRecurrent) v = v + r;
      }
      if (held) v = s.v;
      membrane = v;
      const float count = spike_count<kExtras>(v, th, c);  // evaluated always: no branch
      n = held ? 0.0f : count;
      s.v = apply_reset(v, n, th, c.reset);
    }
    if constexpr (M == NeuronModel::kAlif) s.a = gamma * s.a + (1.0f - gamma) * n;
    if constexpr (kExtras) s.ref = held ? s.ref - 1.0f : (n > 0.0f ? c.refractory_steps : 0.0f);
    return n;
  }
}

// One output element of snn_sum_pool: the window's input values summed in row-major order of
// the window offsets, positions in the padding skipped.
SNN_INLINE float sum_pool_element(const SumPoolArgs& a, int64_t o) {
  int64_t first[kMaxPoolRank];  // input coordinate of the window's first offset, per axis (may be < 0)
  for (int d = a.rank - 1; d >= 0; --d) {
    first[d] = (o % a.out_shape[d]) * a.stride[d] - a.pad_low[d];
    o /= a.out_shape[d];
  }
  float acc = 0.0f;
  for (int64_t w = 0; w < a.window_numel; ++w) {
    int64_t rest = w, index = 0, scale = 1;
    bool inside = true;
    for (int d = a.rank - 1; d >= 0; --d) {
      const int64_t x = first[d] + rest % a.window[d];
      rest /= a.window[d];
      inside = inside && x >= 0 && x < a.in_shape[d];
      index += x * scale;
      scale *= a.in_shape[d];
    }
    if (inside) acc = acc + a.input[index];
  }
  return acc;
}

// Calls fn.template operator()<M, TM, kExtras>() for the variant the arguments select (LI has
// one variant: it ignores timing and the spike options). Host code only.
template <class Fn>
__attribute__((always_inline)) inline void dispatch(const NeuronArgs& a, Fn&& fn) {
  const bool extras = neuron_extras(a);
  const bool before = a.timing == SpikeTiming::kBeforeInput;
#define SNN_NEURON_VARIANTS(M)                                                                         \
  if (before) {                                                                                        \
    if (extras) fn.template operator()<M, SpikeTiming::kBeforeInput, true>();                          \
    else fn.template operator()<M, SpikeTiming::kBeforeInput, false>();                                \
  } else {                                                                                             \
    if (extras) fn.template operator()<M, SpikeTiming::kAfterInput, true>();                           \
    else fn.template operator()<M, SpikeTiming::kAfterInput, false>();                                 \
  }
  switch (a.model) {
    case NeuronModel::kIf: SNN_NEURON_VARIANTS(NeuronModel::kIf) break;
    case NeuronModel::kLif: SNN_NEURON_VARIANTS(NeuronModel::kLif) break;
    case NeuronModel::kAlif: SNN_NEURON_VARIANTS(NeuronModel::kAlif) break;
    case NeuronModel::kCubaLif: SNN_NEURON_VARIANTS(NeuronModel::kCubaLif) break;
    case NeuronModel::kLi: fn.template operator()<NeuronModel::kLi, SpikeTiming::kAfterInput, false>(); break;
  }
#undef SNN_NEURON_VARIANTS
}

}  // namespace snn::neuron
