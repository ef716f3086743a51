// snn_trace_neuron_forward against a naive reference written from PySNN's equations (one neuron
// at a time, one step at a time), bit for bit, for every model, update type and refractory
// setting; streaming; thread-count independence; analytic IF firing; and every error path.
#include <cmath>
#include <string>
#include <vector>

#include "test_util.h"

using namespace snn_test;

namespace {

struct Ref {
  std::vector<float> spikes, trace, v;  // [T, B, N]
  std::vector<float> sv, st, sr, sth;   // final state [B, N]
};

// PySNN's step order: voltage (skipped while refractory), spike, trace, threshold, refractory
// countdown and reset. Decays and dt / tau rounded to float32 once, as the kernel's contract says.
Ref reference(const snn_trace_neuron_params& p, const std::vector<float>& x, int64_t T, int64_t B, int64_t N,
              std::vector<float> v, std::vector<float> tr, std::vector<float> ref, std::vector<float> th) {
  const bool expo = p.update_type == SNN_TRACE_UPDATE_EXPONENTIAL;
  const float kv = expo ? p.dt / p.tau_v : p.tau_v;
  const float kt = expo ? p.dt / p.tau_t : p.tau_t;
  const float kth = expo ? p.dt / p.tau_thresh : p.tau_thresh;
  Ref r;
  r.spikes.assign(x.size(), 0.0f);
  r.trace.assign(x.size(), 0.0f);
  r.v.assign(x.size(), 0.0f);
  for (int64_t j = 0; j < B * N; ++j) {
    for (int64_t t = 0; t < T; ++t) {
      const int64_t e = t * B * N + j;
      float s;
      if (p.model == SNN_TRACE_NEURON_INPUT) {
        s = x[e];
      } else {
        if (!(ref[j] > 0.0f)) {
          if (p.model == SNN_TRACE_NEURON_IF) {
            v[j] = v[j] + p.alpha_v * x[e];
          } else if (expo) {
            const float leak = -(v[j] - p.v_rest);
            v[j] = v[j] + kv * (leak + p.alpha_v * x[e]);
          } else {
            const float decayed = (v[j] - p.v_rest) * kv;
            v[j] = p.v_rest + (decayed + p.alpha_v * x[e]);
          }
        }
        const float threshold = p.model == SNN_TRACE_NEURON_ADAPTIVE_LIF ? th[j] : p.thresh;
        s = v[j] >= threshold ? 1.0f : 0.0f;
        if (p.model == SNN_TRACE_NEURON_ADAPTIVE_LIF) {
          if (expo) {
            const float back = -(th[j] - p.thresh);
            th[j] = th[j] + kth * (back + p.alpha_thresh * s);
          } else {
            const float decayed = (th[j] - p.thresh) * kth;
            th[j] = p.thresh + (decayed + p.alpha_thresh * s);
          }
        }
        float left = ref[j] - p.dt;
        if (left < 0.5f * p.dt) left = 0.0f;
        ref[j] = left + p.duration_refrac * s;
        if (s == 1.0f) v[j] = p.v_rest;
      }
      if (expo) {
        tr[j] = tr[j] + kt * (-tr[j] + p.alpha_t * s);
      } else {
        const float decayed = tr[j] * kt;
        tr[j] = decayed + p.alpha_t * s;
      }
      r.spikes[e] = s;
      r.trace[e] = tr[j];
      r.v[e] = v[j];
    }
  }
  r.sv = v;
  r.st = tr;
  r.sr = ref;
  r.sth = th;
  return r;
}

snn_trace_neuron_params make_params(snn_trace_neuron_model model, snn_trace_update update, float duration_refrac) {
  snn_trace_neuron_params p{};
  p.model = model;
  p.update_type = update;
  p.thresh = 1.0f;
  p.v_rest = -0.25f;
  p.alpha_v = update == SNN_TRACE_UPDATE_EXPONENTIAL ? 2.0f : 0.6f;
  p.alpha_t = 0.8f;
  p.dt = 0.1f;
  p.duration_refrac = duration_refrac;
  const bool expo = update == SNN_TRACE_UPDATE_EXPONENTIAL;
  p.tau_v = expo ? 0.7f : 0.85f;
  p.tau_t = expo ? 0.5f : 0.75f;
  p.alpha_thresh = 0.3f;
  p.tau_thresh = expo ? 1.3f : 0.9f;
  return p;
}

const char* model_name(int32_t m) {
  switch (m) {
    case SNN_TRACE_NEURON_INPUT: return "Input";
    case SNN_TRACE_NEURON_IF: return "IF";
    case SNN_TRACE_NEURON_LIF: return "LIF";
    default: return "AdaptiveLIF";
  }
}

}  // namespace

class TraceNeuron : public BackendTest {
 protected:
  snn_status call(const snn_tensor* x, const snn_trace_neuron_params& p, const snn_trace_neuron_state* st,
                  snn_tensor* s, snn_tensor* tr, snn_tensor* rv) {
    return snn_trace_neuron_forward(x, &p, st, s, tr, rv);
  }
};

TEST_P(TraceNeuron, MatchesReferenceForEveryModelAndOption) {
  const int64_t T = 40, B = 3, C = 5, H = 7, N = C * H;  // cells [5, 7]: the kernel flattens them
  for (int32_t model = SNN_TRACE_NEURON_INPUT; model <= SNN_TRACE_NEURON_ADAPTIVE_LIF; ++model) {
    for (int32_t update : {SNN_TRACE_UPDATE_LINEAR, SNN_TRACE_UPDATE_EXPONENTIAL}) {
      for (float refrac : {0.0f, 0.3f}) {
        SCOPED_TRACE(std::string(model_name(model)) + (update ? " exponential" : " linear") +
                     " refrac=" + std::to_string(refrac));
        const auto p = make_params(static_cast<snn_trace_neuron_model>(model), static_cast<snn_trace_update>(update), refrac);
        const bool input_model = model == SNN_TRACE_NEURON_INPUT;
        // Input neurons get 0/1 spikes, the others currents; initial state off rest, some neurons refractory.
        std::vector<float> x = pseudo_random(T * B * N, input_model ? 0.0f : -0.5f, input_model ? 2.0f : 1.2f, 7);
        if (input_model) for (float& e : x) e = std::floor(e);
        std::vector<float> v0 = pseudo_random(B * N, -0.5f, 0.9f, 8), t0 = pseudo_random(B * N, 0.0f, 1.0f, 9);
        std::vector<float> r0(B * N, 0.0f), th0 = pseudo_random(B * N, 0.8f, 1.6f, 10);
        if (refrac > 0) for (int64_t j = 0; j < B * N; j += 3) r0[j] = j % 2 ? 0.1f : 0.2f;
        const Ref want = reference(p, x, T, B, N, v0, t0, r0, th0);

        Tensor input = tensor({T, B, C, H}, x), spikes = tensor({T, B, C, H}), trace = tensor({T, B, C, H});
        Tensor rv = input_model ? nullptr : tensor({T, B, C, H});
        Tensor v = tensor({B, C, H}, v0), tr = tensor({B, C, H}, t0), ref = tensor({B, C, H}, r0),
               th = tensor({B, C, H}, th0);
        const snn_trace_neuron_state st{v.get(), tr.get(), ref.get(), th.get()};
        ASSERT_EQ(call(input.get(), p, &st, spikes.get(), trace.get(), rv.get()), SNN_OK) << last_error();
        EXPECT_TRUE(bitwise_equal(want.spikes, read(spikes.get())));
        EXPECT_TRUE(bitwise_equal(want.trace, read(trace.get())));
        EXPECT_TRUE(bitwise_equal(want.st, read(tr.get())));
        if (input_model) {
          EXPECT_TRUE(bitwise_equal(v0, read(v.get())));  // unused fields are left alone
          continue;
        }
        EXPECT_TRUE(bitwise_equal(want.v, read(rv.get())));
        EXPECT_TRUE(bitwise_equal(want.sv, read(v.get())));
        EXPECT_TRUE(bitwise_equal(want.sr, read(ref.get())));
        EXPECT_TRUE(bitwise_equal(model == SNN_TRACE_NEURON_ADAPTIVE_LIF ? want.sth : th0, read(th.get())));
        double total = 0;
        for (float s : want.spikes) total += s;
        EXPECT_GT(total, 10.0);            // the comparison is about something: neurons fire...
        EXPECT_LT(total, T * B * N * 0.9);  // ...but not always
      }
    }
  }
}

TEST_P(TraceNeuron, NullStateStartsAtRestAndTwoCallsEqualOne) {
  const int64_t T = 30, B = 2, N = 37;
  const auto p = make_params(SNN_TRACE_NEURON_ADAPTIVE_LIF, SNN_TRACE_UPDATE_EXPONENTIAL, 0.2f);
  const std::vector<float> x = pseudo_random(T * B * N, 0.0f, 1.5f, 3);
  const Ref want = reference(p, x, T, B, N, std::vector<float>(B * N, p.v_rest), std::vector<float>(B * N, 0.0f),
                             std::vector<float>(B * N, 0.0f), std::vector<float>(B * N, p.thresh));
  {
    Tensor input = tensor({T, B, N}, x), spikes = tensor({T, B, N}), trace = tensor({T, B, N});
    ASSERT_EQ(call(input.get(), p, nullptr, spikes.get(), trace.get(), nullptr), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(want.spikes, read(spikes.get())));
    EXPECT_TRUE(bitwise_equal(want.trace, read(trace.get())));
  }
  Tensor v = filled({B, N}, p.v_rest), tr = filled({B, N}, 0.0f), ref = filled({B, N}, 0.0f),
         th = filled({B, N}, p.thresh);
  const snn_trace_neuron_state st{v.get(), tr.get(), ref.get(), th.get()};
  std::vector<float> spikes_all, trace_all;
  for (int64_t t0 : {int64_t{0}, int64_t{13}}) {
    const int64_t len = t0 == 0 ? 13 : T - 13;
    std::vector<float> part(x.begin() + t0 * B * N, x.begin() + (t0 + len) * B * N);
    Tensor input = tensor({len, B, N}, part), spikes = tensor({len, B, N}), trace = tensor({len, B, N});
    ASSERT_EQ(call(input.get(), p, &st, spikes.get(), trace.get(), nullptr), SNN_OK) << last_error();
    for (float e : read(spikes.get())) spikes_all.push_back(e);
    for (float e : read(trace.get())) trace_all.push_back(e);
  }
  EXPECT_TRUE(bitwise_equal(want.spikes, spikes_all));
  EXPECT_TRUE(bitwise_equal(want.trace, trace_all));
  EXPECT_TRUE(bitwise_equal(want.sth, read(th.get())));
  EXPECT_TRUE(bitwise_equal(want.sr, read(ref.get())));
}

// IF from rest at 0 with constant input x: v_k = k alpha_v x (exact for the values below), so
// it fires every ceil(thresh / (alpha_v x)) steps, and R refractory steps add R to the period.
TEST_P(TraceNeuron, IfFiresAtTheAnalyticRate) {
  const int64_t T = 200, B = 1, N = 3;
  for (float refrac : {0.0f, 3.0f}) {
    snn_trace_neuron_params p = make_params(SNN_TRACE_NEURON_IF, SNN_TRACE_UPDATE_LINEAR, refrac);
    p.dt = 1.0f;
    p.v_rest = 0.0f;
    p.alpha_v = 1.0f;
    const float xs[N] = {0.25f, 0.5f, 0.125f};  // periods 4, 2, 8 (+ 3)
    std::vector<float> x(T * N);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t n = 0; n < N; ++n) x[t * N + n] = xs[n];
    Tensor input = tensor({T, B, N}, x), spikes = tensor({T, B, N}), trace = tensor({T, B, N});
    ASSERT_EQ(call(input.get(), p, nullptr, spikes.get(), trace.get(), nullptr), SNN_OK) << last_error();
    const std::vector<float> s = read(spikes.get());
    for (int64_t n = 0; n < N; ++n) {
      const int64_t period = static_cast<int64_t>(std::ceil(p.thresh / xs[n])) + static_cast<int64_t>(refrac);
      for (int64_t t = 0; t < T; ++t) {
        // The first spike comes after ceil(thresh / x) steps (t = that - 1), then one per period.
        const int64_t first = static_cast<int64_t>(std::ceil(p.thresh / xs[n])) - 1;
        const bool expect = t >= first && (t - first) % period == 0;
        ASSERT_EQ(s[t * N + n], expect ? 1.0f : 0.0f) << "neuron " << n << " step " << t << " refrac " << refrac;
      }
    }
  }
}

TEST(TraceNeuronThreads, ResultsDoNotDependOnTheThreadCount) {
  Device dev = open_device(SNN_DEVICE_CPU);
  const int64_t T = 20, B = 3, N = 1000;
  const auto p = make_params(SNN_TRACE_NEURON_LIF, SNN_TRACE_UPDATE_LINEAR, 0.2f);
  const std::vector<float> x = pseudo_random(T * B * N, -0.2f, 1.0f, 11);
  std::vector<std::vector<float>> results;
  for (int32_t threads : {1, 2, 7}) {
    ASSERT_EQ(snn_device_set_num_threads(dev.get(), threads), SNN_OK);
    Tensor input = make_tensor(dev.get(), {T, B, N}, x), spikes = make_tensor(dev.get(), {T, B, N}),
           trace = make_tensor(dev.get(), {T, B, N});
    ASSERT_EQ(snn_trace_neuron_forward(input.get(), &p, nullptr, spikes.get(), trace.get(), nullptr), SNN_OK);
    std::vector<float> r = read(spikes.get());
    for (float e : read(trace.get())) r.push_back(e);
    results.push_back(r);
  }
  EXPECT_TRUE(bitwise_equal(results[0], results[1]));
  EXPECT_TRUE(bitwise_equal(results[0], results[2]));
}

#define EXPECT_FAILS_WITH(expr, fragment)                                                      \
  do {                                                                                         \
    EXPECT_EQ((expr), SNN_ERROR_INVALID_ARGUMENT);                                             \
    EXPECT_NE(last_error().find(fragment), std::string::npos) << "message: " << last_error(); \
  } while (0)

TEST_P(TraceNeuron, RejectsBadArgumentsAndLeavesOutputsUntouched) {
  const int64_t T = 4, B = 2, N = 3;
  Tensor input = filled({T, B, N}, 0.5f), spikes = filled({T, B, N}, kSentinel), trace = filled({T, B, N}, kSentinel);
  Tensor v = filled({B, N}, kSentinel), wrong = filled({B, N + 1}, kSentinel), rv = filled({T, B, N}, kSentinel);
  const auto good = make_params(SNN_TRACE_NEURON_LIF, SNN_TRACE_UPDATE_LINEAR, 0.2f);
  auto with = [&](auto change) {
    snn_trace_neuron_params p = good;
    change(p);
    return p;
  };
  const snn_trace_neuron_state st{v.get(), nullptr, nullptr, nullptr};
  auto run = [&](const snn_trace_neuron_params& p) { return call(input.get(), p, &st, spikes.get(), trace.get(), rv.get()); };
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.dt = 0.0f; })), "params.dt must be finite and > 0");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.dt = -1.0f; })), "params.dt must be finite and > 0");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.duration_refrac = -0.1f; })), "duration_refrac must be finite and >= 0");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.duration_refrac = 0.25f; })), "not an integer multiple of dt");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.tau_v = 1.5f; })), "params.tau_v must be a decay factor in [0, 1]");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.tau_t = -0.1f; })), "params.tau_t must be a decay factor in [0, 1]");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.update_type = 1; p.tau_t = 1.0f; p.tau_v = -2.0f; })),
                    "params.tau_v must be a finite time constant > 0");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.model = 3; p.update_type = 1; p.tau_v = p.tau_t = 1.0f; p.tau_thresh = 0.0f; })),
                    "params.tau_thresh must be a finite time constant > 0");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.thresh = NAN; })), "params.thresh must be finite");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.model = 9; })), "params.model 9 is unknown");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.update_type = 2; })), "params.update_type 2 is unknown");
  EXPECT_FAILS_WITH(run(with([](auto& p) { p.model = SNN_TRACE_NEURON_INPUT; })), "SNN_TRACE_NEURON_INPUT has no voltage");
  const snn_trace_neuron_state bad_state{wrong.get(), nullptr, nullptr, nullptr};
  EXPECT_FAILS_WITH(call(input.get(), good, &bad_state, spikes.get(), trace.get(), nullptr), "state->v [2, 4] does not match");
  EXPECT_FAILS_WITH(call(input.get(), good, &st, spikes.get(), spikes.get(), nullptr), "share memory");
  EXPECT_FAILS_WITH(call(input.get(), good, &st, input.get(), trace.get(), nullptr), "share memory");
  EXPECT_FAILS_WITH(call(wrong.get(), good, nullptr, spikes.get(), trace.get(), nullptr), "rank >= 3");
  EXPECT_FAILS_WITH(snn_trace_neuron_forward(input.get(), nullptr, nullptr, spikes.get(), trace.get(), nullptr),
                    "params is NULL");
  for (const Tensor* t : {&spikes, &trace, &v, &wrong, &rv}) EXPECT_TRUE(untouched(t->get()));
  // Fields a model does not use are not checked: IF has no leak, Input no voltage.
  EXPECT_EQ(run(with([](auto& p) { p.model = SNN_TRACE_NEURON_IF; p.tau_v = 7.0f; })), SNN_OK) << last_error();
}

SNN_INSTANTIATE_BACKENDS(TraceNeuron);
