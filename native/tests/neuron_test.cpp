// snn_neuron_forward against the naive reference of neuron_reference.h for every model,
// spike timing, reset mode and option, recurrent or not; analytic firing rates; streaming,
// thread-count independence, agreement with the plain LIF recurrence; and every error path.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <limits>
#include <string>

#include "neuron_reference.h"
#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {

const char* model_name(snn_neuron_model m) {
  switch (m) {
    case SNN_NEURON_IF: return "IF";
    case SNN_NEURON_LIF: return "LIF";
    case SNN_NEURON_LI: return "LI";
    case SNN_NEURON_ALIF: return "ALIF";
    default: return "CuBaLIF";
  }
}

std::string describe(const NeuronConfig& c) {
  return std::string(model_name(c.model)) + (c.timing == SNN_SPIKE_BEFORE_INPUT ? " before-input" : " after-input") +
         " reset=" + std::to_string(c.reset) + (c.inclusive ? " inclusive" : "") +
         " refractory=" + std::to_string(c.refractory) + " max_spikes=" + std::to_string(c.max_spikes) +
         (c.clip ? " clip" : "") + (c.beta_n.empty() ? "" : " per-neuron") + (c.w.empty() ? "" : " recurrent");
}

bool uses_current(const NeuronConfig& c) { return c.model == SNN_NEURON_CUBA_LIF; }
bool uses_adaptation(const NeuronConfig& c) { return c.model == SNN_NEURON_ALIF; }
bool uses_spikes(const NeuronConfig& c) { return !c.w.empty() && c.timing == SNN_SPIKE_AFTER_INPUT; }

}  // namespace

class Neuron : public BackendTest {
 protected:
  // Device tensors of one call and what they held afterwards.
  struct Call {
    Tensor input, output, w, alpha, beta, gamma;
    Tensor v, i, a, ref, spikes;
    Tensor rec_m, rec_i, rec_a, rec_r;
  };

  snn_neuron_params params_of(const NeuronConfig& c, Call& k, int64_t N) {
    snn_neuron_params p{};
    p.model = c.model;
    p.spike_timing = c.timing;
    p.reset_mode = c.reset;
    p.inclusive_threshold = c.inclusive ? 1 : 0;
    p.refractory_steps = c.refractory;
    p.max_spikes_per_step = c.max_spikes;
    p.clip_decays = c.clip ? 1 : 0;
    p.threshold = c.threshold;
    p.alpha = c.alpha;
    p.beta = c.beta;
    p.gamma = c.gamma;
    if (!c.alpha_n.empty()) k.alpha = tensor({N}, c.alpha_n);
    if (!c.beta_n.empty()) k.beta = tensor({N}, c.beta_n);
    if (!c.gamma_n.empty()) k.gamma = tensor({N}, c.gamma_n);
    p.alpha_per_neuron = k.alpha.get();
    p.beta_per_neuron = k.beta.get();
    p.gamma_per_neuron = k.gamma.get();
    return p;
  }

  // Runs the kernel with every state and record tensor the configuration has and compares
  // everything with the reference bit for bit.
  void check(const NeuronConfig& c, int64_t T, int64_t B, int64_t N, bool with_state, uint64_t seed,
             float lo = -0.4f, float hi = 1.2f) {
    SCOPED_TRACE(describe(c) + " T=" + std::to_string(T) + " B=" + std::to_string(B) + " N=" + std::to_string(N) +
                 (with_state ? " with state" : " without state"));
    const size_t BN = static_cast<size_t>(B * N), TBN = static_cast<size_t>(T) * BN;
    const auto x = pseudo_random(TBN, lo, hi, seed);
    NeuronVars init;
    if (with_state) {
      init.v = pseudo_random(BN, -0.5f, 1.5f, seed + 1);
      init.i = pseudo_random(BN, -0.3f, 0.6f, seed + 2);
      init.a = pseudo_random(BN, 0.0f, 0.5f, seed + 3);
      init.ref = std::vector<float>(BN, 0.0f);
      if (c.refractory > 0)
        for (size_t k = 0; k < BN; k += 3) init.ref[k] = static_cast<float>(k % (c.refractory + 1));
      init.spikes = std::vector<float>(BN, 0.0f);
      if (uses_spikes(c))
        for (size_t k = 0; k < BN; k += 2) init.spikes[k] = 1.0f;
    }
    const NeuronRun ref = reference_neuron(c, x, T, B, N, with_state ? &init : nullptr);

    Call k;
    snn_neuron_params p = params_of(c, k, N);
    k.input = tensor({T, B, N}, x);
    k.output = filled({T, B, N}, kSentinel);
    if (!c.w.empty()) k.w = tensor({N, N}, c.w);
    snn_neuron_state st{};
    if (with_state) {
      k.v = tensor({B, N}, init.v);
      st.membrane = k.v.get();
      if (uses_current(c)) st.current = (k.i = tensor({B, N}, init.i)).get();
      if (uses_adaptation(c)) st.adaptation = (k.a = tensor({B, N}, init.a)).get();
      if (c.refractory > 0) st.refractory = (k.ref = tensor({B, N}, init.ref)).get();
      if (uses_spikes(c)) st.spikes = (k.spikes = tensor({B, N}, init.spikes)).get();
    }
    snn_neuron_record rec{};
    rec.membrane = (k.rec_m = filled({T, B, N}, kSentinel)).get();
    if (uses_current(c)) rec.current = (k.rec_i = filled({T, B, N}, kSentinel)).get();
    if (uses_adaptation(c)) rec.adaptation = (k.rec_a = filled({T, B, N}, kSentinel)).get();
    if (c.refractory > 0) rec.refractory = (k.rec_r = filled({T, B, N}, kSentinel)).get();

    ASSERT_EQ(snn_neuron_forward(k.input.get(), &p, k.w.get(), with_state ? &st : nullptr, k.output.get(), &rec),
              SNN_OK)
        << last_error();
    const std::vector<float> out = read(k.output.get());
    EXPECT_TRUE(bitwise_equal(ref.output, out)) << "output";
    EXPECT_TRUE(bitwise_equal(ref.membrane, read(k.rec_m.get()))) << "membrane record";
    if (k.rec_i) {
      EXPECT_TRUE(bitwise_equal(ref.current, read(k.rec_i.get()))) << "current record";
    }
    if (k.rec_a) {
      EXPECT_TRUE(bitwise_equal(ref.adaptation, read(k.rec_a.get()))) << "adaptation record";
    }
    if (k.rec_r) {
      EXPECT_TRUE(bitwise_equal(ref.refractory, read(k.rec_r.get()))) << "refractory record";
    }
    if (with_state) {
      EXPECT_TRUE(bitwise_equal(ref.final_state.v, read(k.v.get()))) << "final membrane";
      if (k.i) {
        EXPECT_TRUE(bitwise_equal(ref.final_state.i, read(k.i.get()))) << "final current";
      }
      if (k.a) {
        EXPECT_TRUE(bitwise_equal(ref.final_state.a, read(k.a.get()))) << "final adaptation";
      }
      if (k.ref) {
        EXPECT_TRUE(bitwise_equal(ref.final_state.ref, read(k.ref.get()))) << "final refractory";
      }
      if (k.spikes) {
        EXPECT_TRUE(bitwise_equal(ref.final_state.spikes, read(k.spikes.get()))) << "final spikes";
      }
    }
    EXPECT_TRUE(bitwise_equal(x, read(k.input.get()))) << "input must not change";
    if (c.model != SNN_NEURON_LI && out.size() >= 200) {  // the data must exercise both branches
      double fired = 0;
      for (float s : out) fired += s > 0.0f ? 1.0 : 0.0;
      EXPECT_GT(fired, 0.02 * out.size()) << "test data should make neurons fire";
      EXPECT_LT(fired, 0.98 * out.size()) << "test data should leave neurons silent at times";
    }
    if (c.max_spikes > 1) {
      EXPECT_NE(std::find_if(out.begin(), out.end(), [](float s) { return s > 1.0f; }), out.end())
          << "test data should make neurons fire several spikes in one step";
    }
  }

  static std::vector<float> weights(int64_t N, uint64_t seed, float scale = 0.3f) {
    return pseudo_random(static_cast<size_t>(N * N), -scale, scale, seed);
  }
};

constexpr snn_neuron_model kSpiking[] = {SNN_NEURON_IF, SNN_NEURON_LIF, SNN_NEURON_ALIF, SNN_NEURON_CUBA_LIF};
constexpr snn_spike_timing kTimings[] = {SNN_SPIKE_BEFORE_INPUT, SNN_SPIKE_AFTER_INPUT};
constexpr snn_reset_mode kResets[] = {SNN_RESET_SUBTRACT, SNN_RESET_ZERO, SNN_RESET_NONE};

TEST_P(Neuron, EveryModelTimingAndResetMatchesTheEquations) {
  uint64_t seed = 100;
  for (snn_neuron_model m : kSpiking)
    for (snn_spike_timing timing : kTimings)
      for (snn_reset_mode reset : kResets)
        for (bool inclusive : {false, true}) {
          NeuronConfig c;
          c.model = m;
          c.timing = timing;
          c.reset = reset;
          c.inclusive = inclusive;
          // IF with no reset only climbs: feed it zero-mean input so it stays in range.
          const float lo = m == SNN_NEURON_IF && reset == SNN_RESET_NONE ? -0.6f : -0.4f;
          const float hi = m == SNN_NEURON_IF && reset == SNN_RESET_NONE ? 0.62f : 1.2f;
          ++seed;
          check(c, 17, 3, 41, seed % 2 == 0, seed, lo, hi);
        }
}

TEST_P(Neuron, LeakyIntegratorOutputsItsMembrane) {
  NeuronConfig c;
  c.model = SNN_NEURON_LI;
  c.beta = 0.8f;
  check(c, 20, 2, 33, true, 7);
  check(c, 20, 2, 33, false, 8);
  c.beta_n = pseudo_random(33, 0.0f, 1.0f, 9);
  check(c, 20, 2, 33, true, 10);
}

TEST_P(Neuron, PerNeuronDecaysWithAndWithoutClipping) {
  const int64_t N = 37;
  for (snn_neuron_model m : {SNN_NEURON_LIF, SNN_NEURON_ALIF, SNN_NEURON_CUBA_LIF})
    for (snn_spike_timing timing : kTimings) {
      NeuronConfig c;
      c.model = m;
      c.timing = timing;
      c.alpha_n = pseudo_random(N, 0.0f, 1.0f, 1);
      c.beta_n = pseudo_random(N, 0.0f, 1.0f, 2);
      c.gamma_n = pseudo_random(N, 0.0f, 1.0f, 3);
      if (m != SNN_NEURON_CUBA_LIF) c.alpha_n.clear();
      if (m != SNN_NEURON_ALIF) c.gamma_n.clear();
      check(c, 15, 4, N, true, 21 + m);
      // Spyx clamps trainable decays into [0, 1] as it uses them; values beyond and infinities clip.
      c.clip = true;
      c.beta_n = pseudo_random(N, -0.5f, 1.5f, 4);
      c.beta_n[3] = std::numeric_limits<float>::infinity();
      c.beta_n[5] = -std::numeric_limits<float>::infinity();
      if (!c.alpha_n.empty()) c.alpha_n = pseudo_random(N, -0.5f, 1.5f, 5);
      if (!c.gamma_n.empty()) c.gamma_n = pseudo_random(N, -0.5f, 1.5f, 6);
      check(c, 15, 4, N, true, 31 + m);
    }
}

TEST_P(Neuron, ScalarDecaysAreClampedWhenClipping) {
  // With clip_decays a scalar 1.7 behaves like 1 and -0.2 like 0.
  for (snn_neuron_model m : {SNN_NEURON_LIF, SNN_NEURON_CUBA_LIF}) {
    NeuronConfig c, clamped;
    c.model = clamped.model = m;
    c.clip = true;
    c.beta = 1.7f;
    c.alpha = -0.2f;
    clamped.beta = 1.0f;
    clamped.alpha = 0.0f;
    const auto x = pseudo_random(10 * 2 * 9, -0.4f, 1.2f, 3);
    const NeuronRun expected = reference_neuron(clamped, x, 10, 2, 9, nullptr);
    Call k;
    snn_neuron_params p = params_of(c, k, 9);
    Tensor in = tensor({10, 2, 9}, x), out = tensor({10, 2, 9});
    ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, nullptr, out.get(), nullptr), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(expected.output, read(out.get())));
  }
}

TEST_P(Neuron, RefractoryPeriodsAndMultipleSpikesPerStep) {
  uint64_t seed = 300;
  for (snn_neuron_model m : kSpiking)
    for (snn_spike_timing timing : kTimings)
      for (int32_t refractory : {0, 1, 3})
        for (int32_t max_spikes : {1, 3, 1000}) {
          if (refractory == 0 && max_spikes == 1) continue;
          NeuronConfig c;
          c.model = m;
          c.timing = timing;
          c.refractory = refractory;
          c.max_spikes = max_spikes;
          c.reset = max_spikes > 1 ? SNN_RESET_SUBTRACT : (refractory == 1 ? SNN_RESET_ZERO : SNN_RESET_SUBTRACT);
          c.inclusive = refractory == 3;
          c.threshold = max_spikes > 1 ? 0.5f : 1.0f;  // several spikes per step do happen
          ++seed;
          const float hi = max_spikes == 1 ? 1.2f : m == SNN_NEURON_CUBA_LIF ? 0.9f : 2.5f;
          check(c, 19, 3, 29, seed % 2 == 0, seed, -0.4f, hi);
        }
}

TEST_P(Neuron, RecurrentModelsAddTheLastSpikesThroughTheWeights) {
  uint64_t seed = 500;
  for (snn_neuron_model m : kSpiking)
    for (snn_spike_timing timing : kTimings)
      for (bool with_state : {false, true}) {
        NeuronConfig c;
        c.model = m;
        c.timing = timing;
        c.w = weights(23, ++seed);
        check(c, 16, 3, 23, with_state, seed);
      }
  // With the options too, and per-neuron decays.
  NeuronConfig c;
  c.model = SNN_NEURON_CUBA_LIF;
  c.timing = SNN_SPIKE_AFTER_INPUT;
  c.refractory = 2;
  c.max_spikes = 4;
  c.threshold = 0.5f;
  c.beta_n = pseudo_random(23, 0.5f, 1.0f, 1);
  c.alpha_n = pseudo_random(23, 0.2f, 0.9f, 2);
  c.w = weights(23, 3);
  check(c, 16, 3, 23, true, 3, -0.4f, 2.0f);
  c.timing = SNN_SPIKE_BEFORE_INPUT;
  c.model = SNN_NEURON_ALIF;
  c.alpha_n.clear();
  c.gamma_n = pseudo_random(23, 0.5f, 1.0f, 4);
  check(c, 16, 3, 23, true, 4, -0.4f, 2.0f);
}

TEST_P(Neuron, ShapesAcrossChunkBoundaries) {
  NeuronConfig c;
  c.model = SNN_NEURON_ALIF;
  check(c, 1, 1, 1, true, 1);
  check(c, 6, 2, 1537, true, 2);
  c.model = SNN_NEURON_CUBA_LIF;
  c.timing = SNN_SPIKE_AFTER_INPUT;
  check(c, 4, 37, 3, false, 3);
  c.w = weights(600, 4, 0.02f);
  check(c, 3, 2, 600, true, 5);
}

TEST_P(Neuron, MembraneRecordMayBeTheInputUpdatedInPlace) {
  for (bool recurrent : {false, true}) {
    NeuronConfig c;
    c.model = SNN_NEURON_LIF;
    c.timing = SNN_SPIKE_AFTER_INPUT;
    if (recurrent) c.w = weights(30, 8);
    const auto x = pseudo_random(12 * 2 * 30, -0.4f, 1.2f, 6);
    const NeuronRun expected = reference_neuron(c, x, 12, 2, 30, nullptr);
    Call k;
    snn_neuron_params p = params_of(c, k, 30);
    Tensor in = tensor({12, 2, 30}, x), out = tensor({12, 2, 30});
    if (recurrent) k.w = tensor({30, 30}, c.w);
    snn_neuron_record rec{};
    rec.membrane = in.get();
    ASSERT_EQ(snn_neuron_forward(in.get(), &p, k.w.get(), nullptr, out.get(), &rec), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(expected.output, read(out.get())));
    EXPECT_TRUE(bitwise_equal(expected.membrane, read(in.get())));
  }
}

TEST_P(Neuron, LifAfterInputIsThePlainLifRecurrence) {
  const int64_t T = 23, B = 3, N = 45;
  const auto x = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 17);
  const auto init = pseudo_random(static_cast<size_t>(B * N), -0.5f, 1.5f, 18);
  for (snn_reset_mode reset : kResets) {
    const LifResult expected = reference_lif(x, T, B, N, 0.9f, 1.0f, reset, &init);
    Tensor in = tensor({T, B, N}, x);
    Tensor s2 = tensor({T, B, N}), m2 = tensor({T, B, N}), v2 = tensor({B, N}, init);
    snn_neuron_params p{};
    p.model = SNN_NEURON_LIF;
    p.spike_timing = SNN_SPIKE_AFTER_INPUT;
    p.reset_mode = reset;
    p.beta = 0.9f;
    p.threshold = 1.0f;
    snn_neuron_state st{};
    st.membrane = v2.get();
    snn_neuron_record rec{};
    rec.membrane = m2.get();
    ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, &st, s2.get(), &rec), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(expected.spikes, read(s2.get())));
    EXPECT_TRUE(bitwise_equal(expected.membrane, read(m2.get())));
    EXPECT_TRUE(bitwise_equal(expected.state, read(v2.get())));
  }
}

// input_scale_per_neuron multiplies each input by its neuron's gain before the step: the result is
// that of the same call on the input scaled here, g[n] * x (one float32 product), for a leaky
// integrator (LI) and a spiking LIF with per-neuron decays, the membrane recorded in place.
TEST_P(Neuron, InputScaleIsAPerNeuronGainOnTheInput) {
  const int64_t T = 17, B = 3, N = 70;
  const auto x = pseudo_random(static_cast<size_t>(T * B * N), -0.5f, 1.5f, 41);
  const auto g = pseudo_random(static_cast<size_t>(N), -1.0f, 2.0f, 42);
  const auto beta = pseudo_random(static_cast<size_t>(N), 0.5f, 1.0f, 43);
  std::vector<float> scaled(x.size());
  for (size_t k = 0; k < x.size(); ++k) scaled[k] = g[k % static_cast<size_t>(N)] * x[k];
  for (snn_neuron_model model : {SNN_NEURON_LI, SNN_NEURON_LIF}) {
    Tensor gains = tensor({N}, g), decays = tensor({N}, beta);
    snn_neuron_params p{};
    p.model = model;
    p.spike_timing = SNN_SPIKE_AFTER_INPUT;
    p.threshold = 1.0f;
    p.beta_per_neuron = decays.get();
    Tensor in_ref = tensor({T, B, N}, scaled), out_ref = tensor({T, B, N}), v_ref = tensor({B, N});
    snn_neuron_state st_ref{};
    st_ref.membrane = v_ref.get();
    snn_neuron_record rec_ref{};
    rec_ref.membrane = in_ref.get();
    ASSERT_EQ(snn_neuron_forward(in_ref.get(), &p, nullptr, &st_ref, out_ref.get(), &rec_ref), SNN_OK) << last_error();
    p.input_scale_per_neuron = gains.get();
    Tensor in = tensor({T, B, N}, x), out = tensor({T, B, N}), v = tensor({B, N});
    snn_neuron_state st{};
    st.membrane = v.get();
    snn_neuron_record rec{};
    rec.membrane = in.get();  // in place: the unscaled input is read before it is overwritten
    ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, &st, out.get(), &rec), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(read(out_ref.get()), read(out.get()))) << model;
    EXPECT_TRUE(bitwise_equal(read(in_ref.get()), read(in.get()))) << model;
    EXPECT_TRUE(bitwise_equal(read(v_ref.get()), read(v.get()))) << model;
    if (model == SNN_NEURON_LIF) {
      const std::vector<float> s = read(out.get());
      const double fired = std::accumulate(s.begin(), s.end(), 0.0);
      EXPECT_GT(fired, 0.05 * static_cast<double>(s.size()));
      EXPECT_LT(fired, 0.95 * static_cast<double>(s.size()));
    }
  }
  Tensor in = tensor({T, B, N}, x), out = filled({T, B, N}, kSentinel), wrong = tensor({N + 1});
  snn_neuron_params p{};
  p.model = SNN_NEURON_LI;
  p.beta = 0.9f;
  p.input_scale_per_neuron = wrong.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_neuron_forward(in.get(), &p, nullptr, nullptr, out.get(), nullptr),
               "params.input_scale_per_neuron [71] does not match input [17, 3, 70]", "pass float32 [70]");
  EXPECT_TRUE(untouched(out.get()));
}

TEST_P(Neuron, StateCarriesAcrossCalls) {
  // Two calls of T/2 steps chained through the state equal one call of T steps, for a
  // configuration with every kind of state: ALIF and CuBaLIF, refractory, recurrent after input.
  const int64_t T = 20, B = 2, N = 31;
  for (snn_neuron_model m : {SNN_NEURON_ALIF, SNN_NEURON_CUBA_LIF})
    for (snn_spike_timing timing : kTimings) {
      NeuronConfig c;
      c.model = m;
      c.timing = timing;
      c.refractory = 2;
      c.w = weights(N, 40 + m);
      SCOPED_TRACE(describe(c));
      const auto x = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 41);
      const NeuronRun whole = reference_neuron(c, x, T, B, N, nullptr);
      Call k;
      snn_neuron_params p = params_of(c, k, N);
      Tensor w = tensor({N, N}, c.w);
      Tensor v = tensor({B, N}), i = tensor({B, N}), a = tensor({B, N}), r = tensor({B, N}), s = tensor({B, N});
      const snn_neuron_state st{v.get(), i.get(), a.get(), r.get(), s.get()};
      std::vector<float> chained;
      const size_t half = static_cast<size_t>(T / 2 * B * N);
      for (int part = 0; part < 2; ++part) {
        Tensor in = tensor({T / 2, B, N}, std::vector<float>(x.begin() + part * half, x.begin() + (part + 1) * half));
        Tensor out = tensor({T / 2, B, N});
        ASSERT_EQ(snn_neuron_forward(in.get(), &p, w.get(), &st, out.get(), nullptr), SNN_OK) << last_error();
        const auto o = read(out.get());
        chained.insert(chained.end(), o.begin(), o.end());
      }
      EXPECT_TRUE(bitwise_equal(whole.output, chained));
      EXPECT_TRUE(bitwise_equal(whole.final_state.v, read(v.get())));
      EXPECT_TRUE(bitwise_equal(whole.final_state.ref, read(r.get())));
      if (m == SNN_NEURON_ALIF) {
        EXPECT_TRUE(bitwise_equal(whole.final_state.a, read(a.get())));
      } else {
        EXPECT_TRUE(bitwise_equal(std::vector<float>(B * N, 0.0f), read(a.get()))) << "unused state is untouched";
      }
      if (m == SNN_NEURON_CUBA_LIF) {
        EXPECT_TRUE(bitwise_equal(whole.final_state.i, read(i.get())));
      }
      if (timing == SNN_SPIKE_AFTER_INPUT) {
        EXPECT_TRUE(bitwise_equal(whole.final_state.spikes, read(s.get())));
      } else {
        EXPECT_TRUE(bitwise_equal(std::vector<float>(B * N, 0.0f), read(s.get()))) << "unused state is untouched";
      }
    }
}

// Constant input x to IF from rest, reset to zero: with an inclusive threshold it fires every
// ceil(theta / x) steps, with a strict one every floor(theta / x) + 1 steps. x is a multiple
// of 1/64, so every membrane value is exact and the periods are met exactly.
TEST_P(Neuron, IfWithConstantInputFiresAtTheAnalyticRate) {
  const int64_t T = 200, K = 64;
  std::vector<float> x(static_cast<size_t>(T * K));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t k = 0; k < K; ++k) x[t * K + k] = static_cast<float>(k + 1) / 64.0f;
  for (float theta : {1.0f, 1.5f, 2.0f})
    for (bool inclusive : {false, true})
      for (snn_spike_timing timing : kTimings) {
        snn_neuron_params p{};
        p.model = SNN_NEURON_IF;
        p.spike_timing = timing;
        p.reset_mode = SNN_RESET_ZERO;
        p.inclusive_threshold = inclusive;
        p.threshold = theta;
        Tensor in = tensor({T, 1, K}, x), out = tensor({T, 1, K});
        ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, nullptr, out.get(), nullptr), SNN_OK) << last_error();
        const auto s = read(out.get());
        for (int64_t k = 0; k < K; ++k) {
          const double ratio = theta / ((k + 1) / 64.0);
          const int64_t period = inclusive ? static_cast<int64_t>(std::ceil(ratio)) : static_cast<int64_t>(std::floor(ratio)) + 1;
          // After input, the first spike is at step period - 1; before input it comes one step later.
          const int64_t first = timing == SNN_SPIKE_AFTER_INPUT ? period - 1 : period;
          for (int64_t t = 0; t < T; ++t) {
            const bool expected = t >= first && (t - first) % period == 0;
            ASSERT_EQ(s[t * K + k], expected ? 1.0f : 0.0f)
                << "x=" << (k + 1) / 64.0 << " theta=" << theta << " inclusive=" << inclusive << " t=" << t;
          }
        }
      }
}

// With reset by subtraction IF fires at the rate x / theta exactly: after T steps of input x
// (x <= theta) it has fired floor(T x / theta) times when T x / theta is not an integer, and the
// remaining membrane is T x - n theta.
TEST_P(Neuron, IfWithSubtractionFiresAtRateXOverTheta) {
  const int64_t T = 1001, K = 40;
  std::vector<float> x(static_cast<size_t>(T * K));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t k = 0; k < K; ++k) x[t * K + k] = static_cast<float>(k + 1) / 40.0f;  // not dyadic: rounding adds up
  snn_neuron_params p{};
  p.model = SNN_NEURON_IF;
  p.spike_timing = SNN_SPIKE_AFTER_INPUT;
  p.threshold = 1.0f;
  Tensor in = tensor({T, 1, K}, x), out = tensor({T, 1, K}), v = tensor({1, K});
  snn_neuron_state st{};
  st.membrane = v.get();
  ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, &st, out.get(), nullptr), SNN_OK) << last_error();
  const auto s = read(out.get()), vf = read(v.get());
  for (int64_t k = 0; k < K; ++k) {
    double count = 0;
    for (int64_t t = 0; t < T; ++t) count += s[t * K + k];
    const double total = T * ((k + 1) / 40.0);
    // Float rounding of the repeated additions may move the count by at most one spike.
    EXPECT_NEAR(count, std::floor(total), 1.0) << "x=" << (k + 1) / 40.0;
    EXPECT_NEAR(vf[k], total - count, 1e-3) << "x=" << (k + 1) / 40.0;
  }
}

// LIF from rest with constant input x, reset to zero: V_k = x (1 - beta^k) / (1 - beta), so it
// fires every k* = ceil(ln(1 - theta (1 - beta) / x) / ln beta) steps when x > theta (1 - beta)
// (the membrane climbs past theta) and never otherwise (the fixed point x / (1 - beta) is below).
TEST_P(Neuron, LifWithConstantInputFiresAtTheGeometricSeriesPeriod) {
  const int64_t T = 300;
  const float beta = 0.9f, theta = 1.0f;
  std::vector<float> levels;
  for (int k = 0; k < 60; ++k) levels.push_back(0.053f + 0.025f * static_cast<float>(k));
  const int64_t K = static_cast<int64_t>(levels.size());
  std::vector<float> x(static_cast<size_t>(T * K));
  for (int64_t t = 0; t < T; ++t)
    for (int64_t k = 0; k < K; ++k) x[t * K + k] = levels[k];
  snn_neuron_params p{};
  p.model = SNN_NEURON_LIF;
  p.spike_timing = SNN_SPIKE_AFTER_INPUT;
  p.reset_mode = SNN_RESET_ZERO;
  p.beta = beta;
  p.threshold = theta;
  Tensor in = tensor({T, 1, K}, x), out = tensor({T, 1, K});
  ASSERT_EQ(snn_neuron_forward(in.get(), &p, nullptr, nullptr, out.get(), nullptr), SNN_OK) << last_error();
  const auto s = read(out.get());
  int checked_firing = 0;
  for (int64_t k = 0; k < K; ++k) {
    const double xk = levels[k], b = static_cast<double>(beta);
    if (std::fabs(xk - theta * (1 - b)) < 0.01) continue;  // the fixed point sits at theta: rounding decides
    if (xk < theta * (1 - b)) {
      for (int64_t t = 0; t < T; ++t) ASSERT_EQ(s[t * K + k], 0.0f) << "x=" << xk << " must never fire";
      continue;
    }
    const double kstar = std::log(1 - theta * (1 - b) / xk) / std::log(b);
    const auto period = static_cast<int64_t>(std::ceil(kstar));
    // The levels keep V_{k*-1} and V_{k*} clear of theta by far more than float rounding.
    const double v_at = xk * (1 - std::pow(b, static_cast<double>(period))) / (1 - b);
    const double v_before = xk * (1 - std::pow(b, static_cast<double>(period - 1))) / (1 - b);
    ASSERT_GT(v_at - theta, 1e-4) << "test level too close to the threshold: " << xk;
    ASSERT_GT(theta - v_before, 1e-4) << "test level too close to the threshold: " << xk;
    for (int64_t t = 0; t < T; ++t) {
      const bool expected = (t + 1) % period == 0;
      ASSERT_EQ(s[t * K + k], expected ? 1.0f : 0.0f) << "x=" << xk << " period " << period << " t=" << t;
    }
    ++checked_firing;
  }
  EXPECT_GT(checked_firing, 40);
}

// Thread counts are a CPU setting, so this suite is instantiated for the CPU backend only.
class NeuronOnCpu : public Neuron {};

TEST_P(NeuronOnCpu, ResultsDoNotDependOnTheThreadCount) {
  const int64_t T = 30, B = 5, N = 300;
  const auto x = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 77);
  const auto w = weights(N, 78, 0.05f);
  std::vector<float> results[3];
  const int32_t counts[3] = {1, 2, 7};
  for (int k = 0; k < 3; ++k) {
    ASSERT_EQ(snn_device_set_num_threads(device(), counts[k]), SNN_OK);
    snn_neuron_params p{};
    p.model = SNN_NEURON_CUBA_LIF;
    p.alpha = 0.8f;
    p.beta = 0.9f;
    p.threshold = 1.0f;
    Tensor in = tensor({T, B, N}, x), out = tensor({T, B, N}), wt = tensor({N, N}, w);
    ASSERT_EQ(snn_neuron_forward(in.get(), &p, wt.get(), nullptr, out.get(), nullptr), SNN_OK) << last_error();
    results[k] = read(out.get());
  }
  EXPECT_TRUE(bitwise_equal(results[0], results[1]));
  EXPECT_TRUE(bitwise_equal(results[0], results[2]));
}

TEST_P(Neuron, BadParametersAreRejectedWithOutputsUntouched) {
  const int64_t T = 4, B = 2, N = 3;
  Tensor input = filled({T, B, N}, 0.7f), output = filled({T, B, N}, kSentinel);
  Tensor v = filled({B, N}, kSentinel), m = filled({T, B, N}, kSentinel);
  snn_neuron_state st{};
  st.membrane = v.get();
  snn_neuron_record rec{};
  rec.membrane = m.get();
  auto base = [] {
    snn_neuron_params p{};
    p.model = SNN_NEURON_LIF;
    p.beta = 0.9f;
    p.alpha = 0.8f;
    p.gamma = 0.7f;
    p.threshold = 1.0f;
    return p;
  };
  auto run = [&](const snn_neuron_params& p, const snn_tensor* w = nullptr) {
    return snn_neuron_forward(input.get(), &p, w, &st, output.get(), &rec);
  };
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  snn_neuron_params p = base();
  p.threshold = -1.0f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p),
               "snn_neuron_forward: params.threshold must be finite and > 0, got -1; pass a positive threshold");
  p.threshold = 0.0f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "threshold must be finite and > 0, got 0");
  p.threshold = nan;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "threshold", "got nan");
  p.threshold = inf;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "threshold", "got inf");
  p = base();
  p.beta = 1.5f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta must be in [0, 1], got 1.5",
               "exp(-dt / tau)", "clip_decays = 1");
  p.beta = -0.1f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta must be in [0, 1], got -0.1");
  p.beta = nan;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta is nan");
  p.clip_decays = 1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta is nan");  // NaN cannot be clipped
  p = base();
  p.model = SNN_NEURON_CUBA_LIF;
  p.alpha = 2.0f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.alpha must be in [0, 1], got 2", "synaptic current decay");
  p = base();
  p.model = SNN_NEURON_ALIF;
  p.gamma = -1.0f;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.gamma must be in [0, 1], got -1",
               "threshold adaptation decay");
  p = base();
  p.model = 9;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.model 9 is unknown", "SNN_NEURON_CUBA_LIF (4)");
  p = base();
  p.spike_timing = -1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.spike_timing -1 is unknown");
  p = base();
  p.reset_mode = 3;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.reset_mode 3 is unknown");
  p = base();
  p.inclusive_threshold = 2;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.inclusive_threshold must be 0", "got 2");
  p = base();
  p.clip_decays = -1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.clip_decays must be 0", "got -1");
  p = base();
  p.refractory_steps = -2;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.refractory_steps must be >= 0, got -2");
  p = base();
  p.max_spikes_per_step = -1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.max_spikes_per_step must be >= 0, got -1");
  p = base();
  p.model = SNN_NEURON_LI;
  p.refractory_steps = 1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "SNN_NEURON_LI never spikes, so refractory_steps must be 0");
  p.refractory_steps = 0;
  p.max_spikes_per_step = 2;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "SNN_NEURON_LI never spikes, so max_spikes_per_step");
  p.max_spikes_per_step = 1;
  Tensor w = filled({N, N}, 0.1f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p, w.get()), "SNN_NEURON_LI never spikes, so recurrent_weight");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_neuron_forward(input.get(), nullptr, nullptr, &st, output.get(), &rec),
               "params is NULL");

  // Per-neuron decays: values, shapes, and models without that decay.
  Tensor bad_beta = tensor({N}, std::vector<float>{0.5f, 1.25f, 0.5f});
  Tensor nan_beta = tensor({N}, std::vector<float>{0.5f, 0.5f, nan});
  Tensor wrong_len = filled({N + 1}, 0.5f), ok_decay = filled({N}, 0.5f);
  p = base();
  p.beta_per_neuron = bad_beta.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta_per_neuron[1] is 1.25 but every membrane decay must be in [0, 1]",
               "clip_decays = 1");
  p.clip_decays = 1;
  EXPECT_EQ(run(p), SNN_OK) << last_error();  // clamped instead
  ASSERT_EQ(snn_tensor_fill(output.get(), kSentinel), SNN_OK);
  ASSERT_EQ(snn_tensor_fill(v.get(), kSentinel), SNN_OK);
  ASSERT_EQ(snn_tensor_fill(m.get(), kSentinel), SNN_OK);
  p.beta_per_neuron = nan_beta.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta_per_neuron[2] is nan");
  p.beta_per_neuron = wrong_len.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.beta_per_neuron [4] does not match input [4, 2, 3]",
               "pass float32 [3]");
  p = base();
  p.alpha_per_neuron = ok_decay.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.alpha_per_neuron is given but SNN_NEURON_LIF has no synaptic current decay");
  p = base();
  p.model = SNN_NEURON_IF;
  p.beta_per_neuron = ok_decay.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "SNN_NEURON_IF has no membrane decay");
  p = base();
  p.gamma_per_neuron = ok_decay.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(p), "params.gamma_per_neuron is given but SNN_NEURON_LIF");

  EXPECT_TRUE(untouched(output.get()));
  EXPECT_TRUE(untouched(v.get()));
  EXPECT_TRUE(untouched(m.get()));
}

TEST_P(Neuron, BadTensorsAreRejectedWithOutputsUntouched) {
  const int64_t T = 4, B = 2, N = 3;
  snn_neuron_params p{};
  p.model = SNN_NEURON_CUBA_LIF;
  p.alpha = 0.5f;
  p.beta = 0.9f;
  p.threshold = 1.0f;
  Tensor input = filled({T, B, N}, 0.7f), output = filled({T, B, N}, kSentinel);
  Tensor v = filled({B, N}, kSentinel), i = filled({B, N}, kSentinel), m = filled({T, B, N}, kSentinel);
  Tensor input_int = tensor({T, B, N}, SNN_DTYPE_INT32), rank2 = filled({T * B, N}, 0.7f), no_steps = tensor({0, B, N});
  Tensor out_wrong = filled({T, B, N + 1}, kSentinel), v_wrong = filled({B + 1, N}, kSentinel);
  Tensor w_wrong = filled({N, N + 1}, 0.1f), rec_wrong = filled({T - 1, B, N}, kSentinel);
  Tensor extra = filled({T, B, N}, kSentinel);
  auto call = [&](const snn_tensor* in, const snn_tensor* w, const snn_neuron_state* st, snn_tensor* out,
                  const snn_neuron_record* rec) { return snn_neuron_forward(in, &p, w, st, out, rec); };
  const snn_neuron_state good_state{v.get(), i.get(), nullptr, nullptr, nullptr};
  const snn_neuron_record good_record{m.get(), nullptr, nullptr, nullptr};

  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(nullptr, nullptr, &good_state, output.get(), &good_record), "input is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, nullptr, &good_record), "output is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input_int.get(), nullptr, &good_state, output.get(), &good_record),
               "input must be float32, got int32 [4, 2, 3]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(rank2.get(), nullptr, &good_state, output.get(), &good_record),
               "input must have rank 3 [T, B, N]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(no_steps.get(), nullptr, nullptr, output.get(), nullptr), "T = 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, out_wrong.get(), &good_record),
               "output must have the shape of input [4, 2, 3], got [4, 2, 4]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), w_wrong.get(), &good_state, output.get(), &good_record),
               "recurrent_weight [3, 4] does not match input [4, 2, 3]", "[3, 3] indexed [pre, post]");
  const snn_neuron_state wrong_state{v_wrong.get(), i.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &wrong_state, output.get(), &good_record),
               "state->membrane [3, 3] does not match input [4, 2, 3]", "[2, 3]");
  const snn_neuron_state wrong_current{v.get(), v_wrong.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &wrong_current, output.get(), &good_record),
               "state->current [3, 3]");
  const snn_neuron_record wrong_record{rec_wrong.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, output.get(), &wrong_record),
               "record->membrane must have the shape of input [4, 2, 3], got [3, 2, 3]");
  const snn_neuron_record adaptation{nullptr, nullptr, extra.get(), nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, output.get(), &adaptation),
               "record->adaptation is given but only SNN_NEURON_ALIF has a threshold adaptation");
  const snn_neuron_record refractory{nullptr, nullptr, nullptr, extra.get()};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, output.get(), &refractory),
               "record->refractory is given but there is no refractory counter");
  // Aliasing.
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, input.get(), &good_record),
               "input and output share memory");
  const snn_neuron_state shared{v.get(), v.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &shared, output.get(), &good_record),
               "state->membrane and state->current share memory");
  const snn_neuron_record rec_is_output{output.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, output.get(), &rec_is_output),
               "output and record->membrane share memory");
  const snn_neuron_record current_is_input{nullptr, input.get(), nullptr, nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), nullptr, &good_state, output.get(), &current_is_input),
               "input and record->current share memory");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, call(input.get(), extra.get(), &good_state, output.get(), &good_record),
               "recurrent_weight [4, 2, 3] does not match");
  for (const Tensor* t : {&output, &v, &i, &m, &out_wrong, &v_wrong, &rec_wrong, &extra}) EXPECT_TRUE(untouched(t->get()));
  EXPECT_EQ(read(input.get()), std::vector<float>(T * B * N, 0.7f));
  // Unused state fields are ignored, even when they would be invalid.
  const snn_neuron_state ignored{v.get(), i.get(), v_wrong.get(), v_wrong.get(), v_wrong.get()};
  EXPECT_EQ(call(input.get(), nullptr, &ignored, output.get(), nullptr), SNN_OK) << last_error();
  EXPECT_TRUE(untouched(v_wrong.get()));
}

SNN_INSTANTIATE_BACKENDS(Neuron);
INSTANTIATE_TEST_SUITE_P(Cpu, NeuronOnCpu, ::testing::Values(SNN_DEVICE_CPU), ::snn_test::backend_name);

// The helpers around neuron layers: spike counts, population code, window sums.
class NeuronHelpers : public BackendTest {};

TEST_P(NeuronHelpers, SpikeCountAccumulatesOverTimeInOrder) {
  const int64_t T = 37, B = 3, N = 1100;
  auto s = pseudo_random(static_cast<size_t>(T * B * N), 0.0f, 3.0f, 1);
  for (auto& v : s) v = std::floor(v);  // 0, 1 or 2 spikes
  auto c0 = pseudo_random(static_cast<size_t>(B * N), 0.0f, 50.0f, 2);
  for (auto& v : c0) v = std::floor(v);
  std::vector<float> expected = c0;
  for (int64_t t = 0; t < T; ++t)
    for (int64_t j = 0; j < B * N; ++j) expected[j] = expected[j] + s[t * B * N + j];
  Tensor spikes = tensor({T, B, N}, s), counts = tensor({B, N}, c0);
  ASSERT_EQ(snn_spike_count(spikes.get(), counts.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(expected, read(counts.get())));
  ASSERT_EQ(snn_spike_count(spikes.get(), counts.get()), SNN_OK) << last_error();  // accumulates
  for (int64_t t = 0; t < T; ++t)
    for (int64_t j = 0; j < B * N; ++j) expected[j] = expected[j] + s[t * B * N + j];
  EXPECT_TRUE(bitwise_equal(expected, read(counts.get())));

  Tensor wrong = filled({B, N + 1}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_spike_count(spikes.get(), wrong.get()),
               "snn_spike_count: counts [3, 1101] does not match spikes [37, 3, 1100]", "[3, 1100]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_spike_count(counts.get(), wrong.get()), "spikes must have rank 3");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_spike_count(spikes.get(), nullptr), "counts is NULL");
  EXPECT_TRUE(untouched(wrong.get()));
}

TEST_P(NeuronHelpers, PopulationCodeSumsGroupsOfConsecutiveNeurons) {
  const int64_t T = 5, B = 4, C = 10, K = 7;
  const auto x = pseudo_random(static_cast<size_t>(T * B * C * K), -1.0f, 1.0f, 3);
  std::vector<float> expected(static_cast<size_t>(T * B * C));
  for (int64_t r = 0; r < T * B; ++r)
    for (int64_t c = 0; c < C; ++c) {
      float acc = 0.0f;
      for (int64_t k = 0; k < K; ++k) acc = acc + x[(r * C + c) * K + k];
      expected[r * C + c] = acc;
    }
  Tensor in = tensor({T, B, C * K}, x), out = tensor({T, B, C});
  ASSERT_EQ(snn_population_code(in.get(), C, out.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(expected, read(out.get())));

  Tensor wrong = filled({T, B, C + 1}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_population_code(in.get(), 3, wrong.get()),
               "input has 70 neurons on its last axis, not a multiple of num_classes = 3");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_population_code(in.get(), 0, wrong.get()), "num_classes must be >= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_population_code(in.get(), C, wrong.get()),
               "output must be float32 [5, 4, 10] for input [5, 4, 70] and 10 classes, got [5, 4, 11]");
  EXPECT_TRUE(untouched(wrong.get()));
}

namespace {
// Naive window sum over a rank-4 tensor, straight from XLA's reduce_window definition.
std::vector<float> reference_sum_pool(const std::vector<float>& x, const int64_t (&in)[4], const int64_t (&w)[4],
                                      const int64_t (&s)[4], bool same, int64_t (&out)[4]) {
  int64_t low[4];
  for (int d = 0; d < 4; ++d) {
    out[d] = same ? (in[d] + s[d] - 1) / s[d] : (in[d] - w[d]) / s[d] + 1;
    const int64_t total = same ? std::max<int64_t>((out[d] - 1) * s[d] + w[d] - in[d], 0) : 0;
    low[d] = total / 2;
  }
  std::vector<float> y(static_cast<size_t>(out[0] * out[1] * out[2] * out[3]));
  size_t k = 0;
  for (int64_t a = 0; a < out[0]; ++a)
    for (int64_t b = 0; b < out[1]; ++b)
      for (int64_t c = 0; c < out[2]; ++c)
        for (int64_t d = 0; d < out[3]; ++d) {
          float acc = 0.0f;
          for (int64_t i = 0; i < w[0]; ++i)
            for (int64_t j = 0; j < w[1]; ++j)
              for (int64_t l = 0; l < w[2]; ++l)
                for (int64_t m = 0; m < w[3]; ++m) {
                  const int64_t p[4] = {a * s[0] + i - low[0], b * s[1] + j - low[1], c * s[2] + l - low[2],
                                        d * s[3] + m - low[3]};
                  bool inside = true;
                  for (int e = 0; e < 4; ++e) inside = inside && p[e] >= 0 && p[e] < in[e];
                  if (inside) acc = acc + x[((p[0] * in[1] + p[1]) * in[2] + p[2]) * in[3] + p[3]];
                }
          y[k++] = acc;
        }
  return y;
}
}  // namespace

TEST_P(NeuronHelpers, SumPoolMatchesReduceWindow) {
  // Known values, one axis: [1 2 3 4 5], window 2 stride 2 SAME pads one zero at the end;
  // window 3 stride 1 SAME pads one on each side.
  Tensor v = tensor({5}, std::vector<float>{1, 2, 3, 4, 5});
  const int64_t w2 = 2, s2 = 2, w3 = 3, s1 = 1;
  Tensor o3 = tensor({3}), o5 = tensor({5}), o2 = tensor({2});
  ASSERT_EQ(snn_sum_pool(v.get(), &w2, &s2, SNN_PADDING_SAME, o3.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(o3.get()), (std::vector<float>{3, 7, 5}));
  ASSERT_EQ(snn_sum_pool(v.get(), &w3, &s1, SNN_PADDING_SAME, o5.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(o5.get()), (std::vector<float>{3, 6, 9, 12, 9}));
  ASSERT_EQ(snn_sum_pool(v.get(), &w2, &s2, SNN_PADDING_VALID, o2.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(o2.get()), (std::vector<float>{3, 7}));

  // [B, H, W, C] with windows over the spatial axes, as Spyx's SumPool uses it, and over all axes.
  const int64_t in[4] = {2, 9, 11, 3};
  const auto x = pseudo_random(static_cast<size_t>(2 * 9 * 11 * 3), -1.0f, 1.0f, 4);
  struct Case {
    int64_t w[4], s[4];
  };
  for (const Case& c : {Case{{1, 2, 2, 1}, {1, 2, 2, 1}}, Case{{1, 3, 2, 1}, {1, 2, 3, 1}}, Case{{2, 3, 3, 2}, {1, 1, 2, 2}},
                        Case{{1, 4, 4, 1}, {1, 1, 1, 1}}})
    for (bool same : {false, true}) {
      int64_t out[4];
      const auto expected = reference_sum_pool(x, in, c.w, c.s, same, out);
      Tensor input = tensor({in[0], in[1], in[2], in[3]}, x), output = tensor({out[0], out[1], out[2], out[3]});
      ASSERT_EQ(snn_sum_pool(input.get(), c.w, c.s, same ? SNN_PADDING_SAME : SNN_PADDING_VALID, output.get()), SNN_OK)
          << last_error();
      EXPECT_TRUE(bitwise_equal(expected, read(output.get())))
          << "window " << c.w[1] << "x" << c.w[2] << " stride " << c.s[1] << "x" << c.s[2] << (same ? " SAME" : " VALID");
    }

  Tensor wrong = filled({2}, kSentinel);
  const int64_t zero = 0, six = 6;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_sum_pool(v.get(), &w2, &s2, SNN_PADDING_SAME, wrong.get()),
               "output must be float32 [3], the SAME-padded pooling of input [5], got [2]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_sum_pool(v.get(), &zero, &s2, SNN_PADDING_VALID, wrong.get()),
               "window[0] = 0 and strides[0] = 2 must both be >= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_sum_pool(v.get(), &six, &s2, SNN_PADDING_VALID, wrong.get()),
               "window[0] = 6 is larger than axis 0 of input [5]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_sum_pool(v.get(), &w2, &s2, 2, wrong.get()), "padding 2 is unknown");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_sum_pool(v.get(), nullptr, &s2, 0, wrong.get()), "window is NULL");
  EXPECT_TRUE(untouched(wrong.get()));
}

SNN_INSTANTIATE_BACKENDS(NeuronHelpers);
