// The argument block of the trace-neuron kernel (snn/trace_neuron.h), shared by the CPU (.cpp)
// and CUDA (.cu) implementations, and the one definition of a step's arithmetic, compiled by g++
// and nvcc without floating-point contraction so both backends round every operation alike.
#pragma once

#include <cstdint>

#include "core/inline.h"
#include "device/operation.h"

namespace snn {

enum class TraceNeuronModel : int32_t { kInput = 0, kIf = 1, kLif = 2, kAdaptiveLif = 3 };  // = snn_trace_neuron_model

// Loop-invariant constants, already derived from the parameters (decays or dt / tau).
struct TraceNeuronConsts {
  float thresh;        // resting threshold
  float v_rest;
  float alpha_v;
  float alpha_t;
  float alpha_thresh;
  float dt;
  float half_dt;       // dt / 2: a refractory count below it is 0
  float duration;      // refractory period in time units
  float v_decay;       // linear: tau_v; exponential: dt / tau_v
  float t_decay;       // linear: tau_t; exponential: dt / tau_t
  float th_decay;      // linear: tau_thresh; exponential: dt / tau_thresh
};

struct TraceNeuronArgs {
  const float* input;  // [T, B, N]
  float* spikes;       // [T, B, N]
  float* trace_out;    // [T, B, N]
  float* record_v;     // [T, B, N] or nullptr
  // State [B, N], each nullptr when not given (starts at rest, final value dropped).
  float* v;
  float* trace;
  float* refractory;
  float* threshold;
  int64_t steps;    // T >= 1
  int64_t batch;    // B
  int64_t neurons;  // N (the product of the cell dimensions)
  TraceNeuronModel model;
  bool exponential;
  TraceNeuronConsts c;
};

namespace trace {

// The state of one neuron between steps.
struct Cell {
  float v, trace, ref, th;
};

SNN_INLINE Cell rest(const TraceNeuronConsts& c) { return Cell{c.v_rest, 0.0f, 0.0f, c.thresh}; }

// One step of one neuron with input x; returns the spike (Input: x itself). Branch-free, so the
// CPU loop over neurons vectorises.
template <TraceNeuronModel M, bool kExp>
SNN_INLINE float step(float x, const TraceNeuronConsts& c, Cell& s) {
  float spike;
  if constexpr (M == TraceNeuronModel::kInput) {
    spike = x;
  } else {
    const bool held = s.ref > 0.0f;
    float v;
    if constexpr (M == TraceNeuronModel::kIf) {
      v = s.v + c.alpha_v * x;
    } else if constexpr (kExp) {
      v = s.v + c.v_decay * (-(s.v - c.v_rest) + c.alpha_v * x);
    } else {
      v = c.v_rest + ((s.v - c.v_rest) * c.v_decay + c.alpha_v * x);
    }
    v = held ? s.v : v;
    const float th = M == TraceNeuronModel::kAdaptiveLif ? s.th : c.thresh;
    const bool fire = v >= th;
    spike = fire ? 1.0f : 0.0f;
    if constexpr (M == TraceNeuronModel::kAdaptiveLif) {
      if constexpr (kExp) {
        s.th = s.th + c.th_decay * (-(s.th - c.thresh) + c.alpha_thresh * spike);
      } else {
        s.th = c.thresh + ((s.th - c.thresh) * c.th_decay + c.alpha_thresh * spike);
      }
    }
    float r = s.ref - c.dt;
    r = r < c.half_dt ? 0.0f : r;
    s.ref = r + c.duration * spike;
    s.v = fire ? c.v_rest : v;
  }
  if constexpr (kExp) {
    s.trace = s.trace + c.t_decay * (-s.trace + c.alpha_t * spike);
  } else {
    s.trace = s.trace * c.t_decay + c.alpha_t * spike;
  }
  return spike;
}

// Calls fn.template operator()<M, kExp>() for the variant the arguments select. Host code only.
template <class Fn>
inline void dispatch(const TraceNeuronArgs& a, Fn&& fn) {
#define SNN_TRACE_NEURON_VARIANTS(M)                             \
  if (a.exponential) fn.template operator()<M, true>(); \
  else fn.template operator()<M, false>();
  switch (a.model) {
    case TraceNeuronModel::kInput: SNN_TRACE_NEURON_VARIANTS(TraceNeuronModel::kInput) break;
    case TraceNeuronModel::kIf: SNN_TRACE_NEURON_VARIANTS(TraceNeuronModel::kIf) break;
    case TraceNeuronModel::kLif: SNN_TRACE_NEURON_VARIANTS(TraceNeuronModel::kLif) break;
    case TraceNeuronModel::kAdaptiveLif: SNN_TRACE_NEURON_VARIANTS(TraceNeuronModel::kAdaptiveLif) break;
  }
#undef SNN_TRACE_NEURON_VARIANTS
}

}  // namespace trace
inline Operation<TraceNeuronArgs> trace_neuron_op{"trace neuron"};  // device/operation.h

}  // namespace snn
