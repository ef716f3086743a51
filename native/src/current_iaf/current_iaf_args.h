// The argument block of the integrate-and-fire kernels (snn/iaf.h), shared by the CPU (.cpp) and
// CUDA (.cu) implementations, and the arithmetic of one step, written once for both. Pointers are
// device addresses of the backend that runs the kernel; the API layer (api/iaf_api.cpp) validated
// every argument before a kernel sees it.
#pragma once

#include <cmath>
#include <cstdint>

#include "random/philox.h"
#include "device/operation.h"

namespace snn {

struct CurrentIafArgs {
  const float* current;  // [T, B, N] amperes (one block of steps); unused when `weight` is set
  // CPU only (the CUDA backend runs the GEMM first and passes `current`): when set, the kernel
  // projects input [T, B, inputs] through weight [N, inputs] itself, a few steps at a time per task,
  // so the currents never leave the cache.
  const float* input;
  const float* weight;
  int64_t inputs;
  bool weight_input_major;  // weight laid out [inputs, N] instead of [N, inputs]
  const float* bias;     // [N] amperes, or nullptr for none
  float* spikes;         // [T, B, N]
  float* v;              // [B, N] or nullptr (start at v_rest, final value dropped)
  float* refractory;     // [B, N] or nullptr (start at 0, final value dropped)
  float* record_v;       // [T, B, N] or nullptr
  int64_t steps;         // T >= 1
  int64_t batch;         // B
  int64_t neurons;       // N
  double gain;           // g: fraction of the gap to v_inf closed per step
  double v_thresh, v_reset, v_rest, resistance;
  double noise_scale;  // std of the per-step noise current in amperes; 0 for none
  // [kPerNeuronFields, N] (gain, noise_scale, v_rest, v_thresh, v_reset of each neuron, the scalars
  // where none was given per neuron), or nullptr when every neuron has the scalars above.
  const double* per_neuron;
  int32_t refractory_steps;
  uint64_t seed;
  uint64_t step0;  // global index of step 0 (noise stream offset)
};

namespace iaf {

enum PerNeuronField : int64_t { kGain = 0, kNoiseScale, kVRest, kVThresh, kVReset, kPerNeuronFields };

// The constants of one neuron.
struct Neuron {
  double gain, noise_scale, v_rest, v_thresh, v_reset;
};

SNN_INLINE Neuron neuron(const CurrentIafArgs& a, int64_t n) {
  if (a.per_neuron == nullptr) return {a.gain, a.noise_scale, a.v_rest, a.v_thresh, a.v_reset};
  const double* p = a.per_neuron;
  const int64_t N = a.neurons;
  return {p[kGain * N + n], p[kNoiseScale * N + n], p[kVRest * N + n], p[kVThresh * N + n], p[kVReset * N + n]};
}

// g, the fraction of the gap to v_inf closed per step, for h = dt / tau_mem. Exact: 1 - exp(-h)
// (expm1 keeps the digits for small h). RK4 on dv/dt = (v_inf - v) / tau with v_inf constant:
// k1..k4 compose to the Taylor polynomial of 1 - exp(-h) up to h^4.
inline double gain(bool exact, double h) {
  return exact ? -std::expm1(-h) : h * (1.0 - h / 2.0 * (1.0 - h / 3.0 * (1.0 - h / 4.0)));
}

// Standard normal number j of step `step` (snn/iaf.h): Box-Muller in double over the uniforms
// 2j and 2j + 1 of Philox stream (seed, step), i.e. words 2 (j % 2) and 2 (j % 2) + 1 of block j / 2.
SNN_INLINE double normal(uint64_t seed, uint64_t step, uint64_t j) {
  const philox::Block r = philox::stream_block(j / 2, seed, step);
  const uint32_t w0 = (j & 1) != 0 ? r.v[2] : r.v[0];
  const uint32_t w1 = (j & 1) != 0 ? r.v[3] : r.v[1];
  return philox::normal_radius(philox::word_to_uniform(w0)) * cos(philox::normal_angle(philox::word_to_uniform(w1)));
}

// One step of one neuron: updates v and the refractory counter c in place, returns the spike (0/1).
// `x` is the current of this step in amperes (bias and noise included). Written with selects
// instead of branches so the CPU loop over neurons vectorises; the result is that of the plain
// "held? else integrate, then fire?" description in snn/iaf.h.
SNN_INLINE float step(const CurrentIafArgs& a, const Neuron& k, double x, float& v, float& c) {
  const bool held = c > 0.0f;
  const double vd = static_cast<double>(v);
  const double next = vd + (k.v_rest + a.resistance * x - vd) * k.gain;
  const bool fire = !held && next > k.v_thresh;
  v = held ? v : static_cast<float>(fire ? k.v_reset : next);
  c = held ? c - 1.0f : (fire ? static_cast<float>(a.refractory_steps) : c);
  return fire ? 1.0f : 0.0f;
}

}  // namespace iaf
inline Operation<CurrentIafArgs> current_iaf_op{"integrate-and-fire"};  // device/operation.h

}  // namespace snn
