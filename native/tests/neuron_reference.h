// A naive reference of snn_neuron_forward, written from the equations in snn/neuron.h and
// docs/neurons.md one model at a time, element by element, with no shared code with the
// library. Every float operation is written in the order the equations give it, so results
// must agree with the kernels bit for bit (the tests are compiled without FMA contraction).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "snn/snn.h"

namespace snn_test {

struct NeuronConfig {
  snn_neuron_model model = SNN_NEURON_LIF;
  snn_spike_timing timing = SNN_SPIKE_BEFORE_INPUT;
  snn_reset_mode reset = SNN_RESET_SUBTRACT;
  bool inclusive = false;
  int32_t refractory = 0;
  int32_t max_spikes = 1;
  bool clip = false;
  float threshold = 1.0f;
  float alpha = 0.7f, beta = 0.9f, gamma = 0.8f;
  std::vector<float> alpha_n, beta_n, gamma_n;  // per neuron when not empty
  std::vector<float> w;                         // [N, N] indexed [pre, post] when not empty
};

// Variables of the population, each [B, N] (or [T, B, N] for records).
struct NeuronVars {
  std::vector<float> v, i, a, ref, spikes;
};

struct NeuronRun {
  std::vector<float> output, membrane, current, adaptation, refractory;  // [T, B, N]
  NeuronVars final_state;
};

inline float ref_clip(float d, bool clip) {
  if (!clip) return d;
  if (d < 0.0f) return 0.0f;
  if (d > 1.0f) return 1.0f;
  return d;
}

// Spike count of membrane v against threshold th.
inline float ref_count(const NeuronConfig& c, float v, float th) {
  bool fires;
  if (c.inclusive) fires = v >= th;
  else fires = v > th;
  if (!fires) return 0.0f;
  if (c.max_spikes <= 1) return 1.0f;
  float n = std::floor(v / th);
  if (n < 1.0f) n = 1.0f;
  if (n > static_cast<float>(c.max_spikes)) n = static_cast<float>(c.max_spikes);
  return n;
}

inline NeuronRun reference_neuron(const NeuronConfig& c, const std::vector<float>& x, int64_t T, int64_t B, int64_t N,
                                  const NeuronVars* initial) {
  const size_t BN = static_cast<size_t>(B * N);
  NeuronVars s;
  s.v = initial && !initial->v.empty() ? initial->v : std::vector<float>(BN, 0.0f);
  s.i = initial && !initial->i.empty() ? initial->i : std::vector<float>(BN, 0.0f);
  s.a = initial && !initial->a.empty() ? initial->a : std::vector<float>(BN, 0.0f);
  s.ref = initial && !initial->ref.empty() ? initial->ref : std::vector<float>(BN, 0.0f);
  s.spikes = initial && !initial->spikes.empty() ? initial->spikes : std::vector<float>(BN, 0.0f);
  NeuronRun r;
  r.output.assign(x.size(), 0.0f);
  r.membrane.assign(x.size(), 0.0f);
  r.current.assign(x.size(), 0.0f);
  r.adaptation.assign(x.size(), 0.0f);
  r.refractory.assign(x.size(), 0.0f);
  const bool recurrent = !c.w.empty();
  std::vector<float> spikes_now(BN), rec_in(BN);

  for (int64_t t = 0; t < T; ++t) {
    // Spikes under "before input": from the state entering the step.
    for (size_t k = 0; k < BN; ++k) {
      float th = c.threshold;
      if (c.model == SNN_NEURON_ALIF) th = c.threshold + s.a[k];
      if (c.model == SNN_NEURON_LI || s.ref[k] > 0.0f) spikes_now[k] = 0.0f;
      else spikes_now[k] = ref_count(c, s.v[k], th);
    }
    // Recurrent input: rows of W of the neurons that spiked, in ascending pre order.
    for (size_t k = 0; k < BN; ++k) rec_in[k] = 0.0f;
    if (recurrent) {
      const std::vector<float>& src = c.timing == SNN_SPIKE_BEFORE_INPUT ? spikes_now : s.spikes;
      for (int64_t b = 0; b < B; ++b)
        for (int64_t post = 0; post < N; ++post) {
          float acc = 0.0f;
          for (int64_t pre = 0; pre < N; ++pre) {
            const float sp = src[b * N + pre];
            if (sp != 0.0f) acc = acc + sp * c.w[pre * N + post];
          }
          rec_in[b * N + post] = acc;
        }
    }
    for (int64_t b = 0; b < B; ++b)
      for (int64_t n = 0; n < N; ++n) {
        const size_t k = static_cast<size_t>(b * N + n);
        const size_t e = static_cast<size_t>(t * B * N) + k;
        const float alpha = c.alpha_n.empty() ? c.alpha : ref_clip(c.alpha_n[n], c.clip);
        const float beta = c.beta_n.empty() ? c.beta : ref_clip(c.beta_n[n], c.clip);
        const float gamma = c.gamma_n.empty() ? c.gamma : ref_clip(c.gamma_n[n], c.clip);
        const float in = x[e];
        const float rin = rec_in[k];
        float V = s.v[k], I = s.i[k], A = s.a[k];
        const float R = s.ref[k];
        const bool held = R > 0.0f;
        r.adaptation[e] = A;
        r.refractory[e] = R;
        float th = c.threshold;
        if (c.model == SNN_NEURON_ALIF) th = c.threshold + A;
        float spikes = 0.0f;

        if (c.model == SNN_NEURON_LI) {
          V = beta * V + in;
          r.membrane[e] = V;
          r.output[e] = V;
          s.v[k] = V;
          continue;
        }
        if (c.timing == SNN_SPIKE_BEFORE_INPUT) {
          r.membrane[e] = V;
          spikes = spikes_now[k];
          if (c.model == SNN_NEURON_CUBA_LIF) {
            // s = H(V - theta); V -= s theta; I' = alpha I + x [+ r]; V' = beta V + I'
            float Vr = V;
            if (c.reset == SNN_RESET_SUBTRACT) Vr = V - spikes * th;
            if (c.reset == SNN_RESET_ZERO && spikes > 0.0f) Vr = 0.0f;
            if (recurrent) I = alpha * I + in + rin;
            else I = alpha * I + in;
            if (!held) V = beta * Vr + I;
          } else {
            // IF: V' = V + x [+ r] - s theta; LIF, ALIF: V' = beta V + x [+ r] - s theta
            float decayed = c.model == SNN_NEURON_IF ? V : beta * V;
            if (c.reset == SNN_RESET_ZERO && spikes > 0.0f) decayed = 0.0f;
            float Vn;
            if (recurrent) Vn = decayed + in + rin;
            else Vn = decayed + in;
            if (c.reset == SNN_RESET_SUBTRACT) Vn = Vn - spikes * th;
            if (!held) V = Vn;
          }
        } else {
          float Vp;
          if (c.model == SNN_NEURON_CUBA_LIF) {
            if (recurrent) I = alpha * I + in + rin;
            else I = alpha * I + in;
            Vp = beta * V + I;
          } else {
            const float decayed = c.model == SNN_NEURON_IF ? V : beta * V;
            if (recurrent) Vp = decayed + in + rin;
            else Vp = decayed + in;
          }
          if (held) Vp = V;
          r.membrane[e] = Vp;
          spikes = held ? 0.0f : ref_count(c, Vp, th);
          V = Vp;
          if (c.reset == SNN_RESET_SUBTRACT) V = Vp - spikes * th;
          if (c.reset == SNN_RESET_ZERO && spikes > 0.0f) V = 0.0f;
        }
        if (c.model == SNN_NEURON_ALIF) A = gamma * A + (1.0f - gamma) * spikes;
        float Rn = 0.0f;
        if (held) Rn = R - 1.0f;
        else if (spikes > 0.0f) Rn = static_cast<float>(c.refractory);
        r.output[e] = spikes;
        r.current[e] = I;
        s.v[k] = V;
        s.i[k] = I;
        s.a[k] = A;
        s.ref[k] = Rn;
      }
    for (size_t k = 0; k < BN; ++k) s.spikes[k] = r.output[static_cast<size_t>(t) * BN + k];
  }
  r.final_state = s;
  return r;
}

}  // namespace snn_test
