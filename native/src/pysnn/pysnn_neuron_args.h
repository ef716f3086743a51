// The argument block of the PySNN neuron kernel (snn/pysnn_neuron.h), shared by the CPU (.cpp)
// and CUDA (.cu) implementations, and the one definition of a step's arithmetic, compiled by g++
// and nvcc without floating-point contraction so both backends round every operation alike.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define SNN_PYSNN_INLINE __host__ __device__ __forceinline__
#else
#define SNN_PYSNN_INLINE __attribute__((always_inline)) inline
#endif

namespace snn {

enum class PysnnModel : int32_t { kInput = 0, kIf = 1, kLif = 2, kAdaptiveLif = 3 };  // = snn_pysnn_model

// Loop-invariant constants, already derived from the parameters (decays or dt / tau).
struct PysnnConsts {
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

struct PysnnNeuronArgs {
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
  PysnnModel model;
  bool exponential;
  PysnnConsts c;
};

namespace pysnn {

// The state of one neuron between steps.
struct Cell {
  float v, trace, ref, th;
};

SNN_PYSNN_INLINE Cell rest(const PysnnConsts& c) { return Cell{c.v_rest, 0.0f, 0.0f, c.thresh}; }

// One step of one neuron with input x; returns the spike (Input: x itself). Branch-free, so the
// CPU loop over neurons vectorises.
template <PysnnModel M, bool kExp>
SNN_PYSNN_INLINE float step(float x, const PysnnConsts& c, Cell& s) {
  float spike;
  if constexpr (M == PysnnModel::kInput) {
    spike = x;
  } else {
    const bool held = s.ref > 0.0f;
    float v;
    if constexpr (M == PysnnModel::kIf) {
      v = s.v + c.alpha_v * x;
    } else if constexpr (kExp) {
      v = s.v + c.v_decay * (-(s.v - c.v_rest) + c.alpha_v * x);
    } else {
      v = c.v_rest + ((s.v - c.v_rest) * c.v_decay + c.alpha_v * x);
    }
    v = held ? s.v : v;
    const float th = M == PysnnModel::kAdaptiveLif ? s.th : c.thresh;
    const bool fire = v >= th;
    spike = fire ? 1.0f : 0.0f;
    if constexpr (M == PysnnModel::kAdaptiveLif) {
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
inline void dispatch(const PysnnNeuronArgs& a, Fn&& fn) {
#define SNN_PYSNN_VARIANTS(M)                             \
  if (a.exponential) fn.template operator()<M, true>(); \
  else fn.template operator()<M, false>();
  switch (a.model) {
    case PysnnModel::kInput: SNN_PYSNN_VARIANTS(PysnnModel::kInput) break;
    case PysnnModel::kIf: SNN_PYSNN_VARIANTS(PysnnModel::kIf) break;
    case PysnnModel::kLif: SNN_PYSNN_VARIANTS(PysnnModel::kLif) break;
    case PysnnModel::kAdaptiveLif: SNN_PYSNN_VARIANTS(PysnnModel::kAdaptiveLif) break;
  }
#undef SNN_PYSNN_VARIANTS
}

}  // namespace pysnn
}  // namespace snn
