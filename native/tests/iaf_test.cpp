// snn_iaf_forward (Rockpool's FFIAF): the exact solution of the membrane equation, the analytic
// firing period under constant current, RK4 against its own closed form, refractory counting,
// noise statistics against the AR(1) formula, streaming, thread-count independence, and every
// error path. The Brian2 oracle tests live in python/tests/test_ffiaf.py.
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "test_util.h"

using namespace snn_test;

namespace {

snn_iaf_params defaults() {
  snn_iaf_params p{};
  p.integrator = SNN_IAF_EXACT;
  p.dt = 1e-4;
  p.tau_mem = 20e-3;
  p.v_thresh = -55e-3;
  p.v_reset = -65e-3;
  p.v_rest = -65e-3;
  p.resistance = 1.0;
  return p;
}

// Steps at which neuron n spiked.
std::vector<int64_t> spike_steps(const std::vector<float>& s, int64_t T, int64_t N, int64_t n) {
  std::vector<int64_t> out;
  for (int64_t t = 0; t < T; ++t)
    if (s[t * N + n] != 0.0f) out.push_back(t);
  return out;
}

}  // namespace

class Iaf : public BackendTest {
 protected:
  // Runs `current` [T, B, N] (or input [T, B, N_in] through `weight` [N, N_in]) plus `bias`; returns spikes,
  // and the membrane record in *membrane when given.
  std::vector<float> run(const snn_iaf_params& p, std::vector<int64_t> shape, const std::vector<float>& current,
                         std::vector<float>* membrane = nullptr, snn_iaf_state* state = nullptr,
                         const snn_tensor* weight = nullptr, const snn_tensor* bias = nullptr, int64_t neurons = 0) {
    Tensor x = tensor(shape, current);
    if (neurons > 0) shape[2] = neurons;
    Tensor s = tensor(shape);
    Tensor m = tensor(shape);
    EXPECT_EQ(snn_iaf_forward(x.get(), weight, bias, &p, state, s.get(), membrane != nullptr ? m.get() : nullptr),
              SNN_OK)
        << last_error();
    if (membrane != nullptr) *membrane = read(m.get());
    return read(s.get());
  }
};

// Float32 state: each step rounds v (|v| < 0.125 V) to within half an ulp, 2^-28 V, and the
// recurrence shrinks an old error by 1 - g per step, so the accumulated error stays below
// 2^-28 / g (7.5e-7 V for dt / tau = 0.005; typically 20x less).
static double float_state_bound(const snn_iaf_params& p) { return std::ldexp(1.0, -28) / (p.dt / p.tau_mem) * 1.01; }

// Below threshold, v(t) = v_inf + (v0 - v_inf) exp(-t dt / tau) exactly (up to float32 rounding).
TEST_P(Iaf, ExactIntegratorFollowsTheClosedForm) {
  snn_iaf_params p = defaults();
  const int64_t T = 2000, N = 3;
  const double currents[N] = {0.0, 5e-3, 9.5e-3};  // v_inf = -65, -60, -55.5 mV: never fires
  std::vector<float> x(T * N);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t n = 0; n < N; ++n) x[t * N + n] = static_cast<float>(currents[n]);
  std::vector<float> v;
  const std::vector<float> s = run(p, {T, 1, N}, x, &v);
  EXPECT_EQ(std::accumulate(s.begin(), s.end(), 0.0f), 0.0f);
  for (int64_t n = 0; n < N; ++n) {
    const double v_inf = p.v_rest + static_cast<float>(currents[n]);
    for (int64_t t = 0; t < T; t += 97) {
      const double expected = v_inf + (p.v_rest - v_inf) * std::exp(-(t + 1) * p.dt / p.tau_mem);
      EXPECT_NEAR(v[t * N + n], expected, float_state_bound(p)) << "n " << n << " t " << t;
    }
  }
}

// Constant suprathreshold current from v_reset: the first crossing is at the analytic period
// P = tau ln((RI + v_rest - v_reset) / (RI + v_rest - v_thresh)), so spikes come every
// ceil(P / dt) + refractory_steps steps.
TEST_P(Iaf, FiringPeriodMatchesTheAnalyticPeriod) {
  for (int32_t refractory : {0, 1, 20}) {
    snn_iaf_params p = defaults();
    p.refractory_steps = refractory;
    const int64_t T = 20000, N = 4;
    const double currents[N] = {10.5e-3, 15e-3, 20e-3, 40e-3};
    std::vector<float> x(T * N);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t n = 0; n < N; ++n) x[t * N + n] = static_cast<float>(currents[n]);
    const std::vector<float> s = run(p, {T, 1, N}, x);
    for (int64_t n = 0; n < N; ++n) {
      const double ri = static_cast<float>(currents[n]);
      const double period = p.tau_mem * std::log((ri + p.v_rest - p.v_reset) / (ri + p.v_rest - p.v_thresh));
      const int64_t expected = static_cast<int64_t>(std::ceil(period / p.dt)) + refractory;
      const std::vector<int64_t> at = spike_steps(s, T, N, n);
      ASSERT_GE(at.size(), 3u) << "n " << n;
      EXPECT_EQ(at[0] + 1, static_cast<int64_t>(std::ceil(period / p.dt))) << "n " << n;
      for (size_t k = 1; k < at.size(); ++k) {
        EXPECT_EQ(at[k] - at[k - 1], expected) << "n " << n << " refractory " << refractory << " spike " << k;
      }
    }
  }
}

// RK4's gain is h - h^2/2 + h^3/6 - h^4/24: after k steps below threshold the gap has shrunk by
// (1 - g)^k, within 1e-10 relative of the exact exp(-k h) for h = 0.005 and k <= 1000.
TEST_P(Iaf, Rk4MatchesItsClosedFormAndStaysCloseToExact) {
  snn_iaf_params p = defaults();
  p.integrator = SNN_IAF_RK4;
  const int64_t T = 1000;
  const std::vector<float> x(T, 8e-3f);
  std::vector<float> v_rk4, v_exact;
  run(p, {T, 1, 1}, x, &v_rk4);
  p.integrator = SNN_IAF_EXACT;
  run(p, {T, 1, 1}, x, &v_exact);
  const double h = p.dt / p.tau_mem, g = h - h * h / 2 + h * h * h / 6 - h * h * h * h / 24;
  const double v_inf = p.v_rest + static_cast<double>(8e-3f);
  for (int64_t t = 0; t < T; t += 50) {
    EXPECT_NEAR(v_rk4[t], v_inf + (p.v_rest - v_inf) * std::pow(1 - g, t + 1), float_state_bound(p)) << t;
    EXPECT_NEAR(v_rk4[t], v_exact[t], 2 * float_state_bound(p)) << t;
  }
}

// A refractory neuron stays at v_reset and ignores any current for refractory_steps steps.
TEST_P(Iaf, RefractoryNeuronIsHeldAtReset) {
  snn_iaf_params p = defaults();
  p.refractory_steps = 5;
  // One huge step forces a spike at t = 0; the drive continues but must be ignored for 5 steps.
  const int64_t T = 12;
  std::vector<float> x(T, 10.0f);  // +50 mV in one step
  std::vector<float> v;
  const std::vector<float> s = run(p, {T, 1, 1}, x, &v);
  EXPECT_EQ(s[0], 1.0f);
  for (int64_t t = 1; t <= 5; ++t) {
    EXPECT_EQ(s[t], 0.0f) << t;
    EXPECT_EQ(v[t], static_cast<float>(p.v_reset)) << t;
  }
  EXPECT_EQ(s[6], 1.0f);  // integrates again at step 6 and fires
}

// State in and out: the same run split in three calls gives the same bits, noise included.
TEST_P(Iaf, StreamingInPiecesEqualsOneCall) {
  snn_iaf_params p = defaults();
  p.refractory_steps = 7;
  p.noise_std = 2e-3;
  p.seed = 99;
  const int64_t T = 300, B = 2, N = 37;
  const std::vector<float> x = pseudo_random(T * B * N, 0.0f, 0.03f, 5);
  std::vector<float> v_all;
  const std::vector<float> s_all = run(p, {T, B, N}, x, &v_all);
  Tensor v = filled({B, N}, static_cast<float>(p.v_rest));
  Tensor c = filled({B, N}, 0.0f);
  snn_iaf_state st{v.get(), c.get()};
  std::vector<float> s_parts, v_parts;
  const int64_t cuts[] = {0, 1, 120, T};
  for (int k = 0; k < 3; ++k) {
    const int64_t t0 = cuts[k], len = cuts[k + 1] - cuts[k];
    snn_iaf_params q = p;
    q.step = static_cast<uint64_t>(t0);
    std::vector<float> piece(x.begin() + t0 * B * N, x.begin() + (t0 + len) * B * N), vm;
    const std::vector<float> s = run(q, {len, B, N}, piece, &vm, &st);
    s_parts.insert(s_parts.end(), s.begin(), s.end());
    v_parts.insert(v_parts.end(), vm.begin(), vm.end());
  }
  EXPECT_TRUE(bitwise_equal(s_all, s_parts));
  EXPECT_TRUE(bitwise_equal(v_all, v_parts));
  EXPECT_GT(std::accumulate(s_all.begin(), s_all.end(), 0.0f), 10.0f);
}

// Free membrane with noise: v - v_rest is an AR(1) process with gain g and per-step increment
// std g R sigma_I, sigma_I = noise_std sqrt(2 tau / dt) / R, so its stationary std is
// noise_std sqrt(2 g / (h (2 - g))) (about noise_std for small h), and successive samples
// correlate with 1 - g. Same seed: same bits; another seed: another trace.
TEST_P(Iaf, NoiseHasTheStationaryStdOfTheFormula) {
  snn_iaf_params p = defaults();
  p.v_thresh = 10.0;  // never fires
  p.noise_std = 1e-3;
  p.seed = 7;
  const int64_t T = 4000, N = 500, skip = 1000;  // skip 5 tau of transient
  std::vector<float> x(T * N, 0.0f), v;
  run(p, {T, 1, N}, x, &v);
  double sum = 0, sq = 0, lag = 0;
  int64_t count = 0;
  for (int64_t t = skip; t < T; ++t)
    for (int64_t n = 0; n < N; ++n) {
      const double d = v[t * N + n] - p.v_rest;
      sum += d;
      sq += d * d;
      lag += d * (v[(t - 1) * N + n] - p.v_rest);
      ++count;
    }
  const double mean = sum / count, std = std::sqrt(sq / count - mean * mean);
  const double h = p.dt / p.tau_mem, g = -std::expm1(-h);
  const double expected = p.noise_std * std::sqrt(2 * g / (h * (2 - g)));
  // 1.5M samples but correlated over ~tau/dt = 200 steps: about 7500 independent ones, so the std
  // is known to about 1 %; 4 % is a safe bound that still catches a wrong factor like sqrt(2).
  EXPECT_NEAR(std, expected, 0.04 * expected);
  EXPECT_NEAR(mean, 0.0, 0.05 * expected);
  EXPECT_NEAR(lag / (sq), 1 - g, 2e-3);

  std::vector<float> v2, v3;
  run(p, {T, 1, N}, x, &v2);
  EXPECT_TRUE(bitwise_equal(v, v2));
  p.seed = 8;
  run(p, {T, 1, N}, x, &v3);
  EXPECT_FALSE(bitwise_equal(v, v3));
}

// With weight [N, N_in] and bias [N], the current is input @ weight^T + bias, computed in blocks of time
// steps: the result equals running the precomputed current (checked against a double-precision
// projection: float32 GEMM rounding only), across several blocks and split calls.
TEST_P(Iaf, ProjectionThroughWeightsInBlocks) {
  snn_iaf_params p = defaults();
  p.refractory_steps = 4;
  p.noise_std = 5e-4;
  p.seed = 3;
  const int64_t T = 5000, B = 2, n_in = 7, N = 300;  // CPU: 20 GEMMs of 256 steps per task; CUDA: one block
  const std::vector<float> x = pseudo_random(T * B * n_in, 0.0f, 1.0f, 21);
  const std::vector<float> w = pseudo_random(N * n_in, 0.0f, 0.006f, 22);
  const std::vector<float> bias = pseudo_random(N, -2e-3f, 4e-3f, 23);
  Tensor wt = tensor({N, n_in}, w), bt = tensor({N}, bias);
  std::vector<float> v_proj;
  const std::vector<float> s_proj = run(p, {T, B, n_in}, x, &v_proj, nullptr, wt.get(), bt.get(), N);
  // Reference current in double, rounded once to float32; bias passed separately as the kernel adds it.
  std::vector<float> current(T * B * N);
  for (int64_t r = 0; r < T * B; ++r)
    for (int64_t n = 0; n < N; ++n) {
      double acc = 0;
      for (int64_t k = 0; k < n_in; ++k) acc += static_cast<double>(x[r * n_in + k]) * w[n * n_in + k];
      current[r * N + n] = static_cast<float>(acc);
    }
  std::vector<float> v_ref;
  const std::vector<float> s_ref = run(p, {T, B, N}, current, &v_ref, nullptr, nullptr, bt.get());
  const float total = std::accumulate(s_ref.begin(), s_ref.end(), 0.0f);
  EXPECT_GT(total, 5000.0f);
  int64_t differing = 0;
  for (size_t i = 0; i < s_ref.size(); ++i) differing += s_ref[i] != s_proj[i];
  EXPECT_LE(differing, 20) << "spikes moved by GEMM rounding (relative 1e-7 of the current)";
  for (size_t i = 0; i < v_ref.size() && differing == 0; ++i) ASSERT_NEAR(v_ref[i], v_proj[i], 1e-6) << i;

  // Split into calls of 1, 2999 and 2000 steps with the state carried: the same bits.
  Tensor v = filled({B, N}, static_cast<float>(p.v_rest));
  Tensor c = filled({B, N}, 0.0f);
  snn_iaf_state st{v.get(), c.get()};
  std::vector<float> s_parts;
  const int64_t cuts[] = {0, 1, 3000, T};
  for (int k = 0; k < 3; ++k) {
    snn_iaf_params q = p;
    q.step = static_cast<uint64_t>(cuts[k]);
    std::vector<float> piece(x.begin() + cuts[k] * B * n_in, x.begin() + cuts[k + 1] * B * n_in);
    const std::vector<float> s = run(q, {cuts[k + 1] - cuts[k], B, n_in}, piece, nullptr, &st, wt.get(), bt.get(), N);
    s_parts.insert(s_parts.end(), s.begin(), s.end());
  }
  EXPECT_TRUE(bitwise_equal(s_proj, s_parts));
}

// SNN_WEIGHT_INPUT_MAJOR reads weight [N_in, N] (row i: input i's weights into every neuron) as the
// transpose of the default layout, without a copy: the same currents, checked like the test above
// against a double-precision projection, on both the CPU's fused GEMM and the CUDA GEMM.
TEST_P(Iaf, InputMajorWeightsProjectLikeTheirTranspose) {
  snn_iaf_params p = defaults();
  p.refractory_steps = 2;
  const int64_t T = 700, B = 3, n_in = 11, N = 130;
  const std::vector<float> x = pseudo_random(T * B * n_in, 0.0f, 1.0f, 31);
  const std::vector<float> w = pseudo_random(n_in * N, 0.0f, 0.004f, 32);  // [n_in, N]
  const std::vector<float> bias = pseudo_random(N, -2e-3f, 4e-3f, 33);
  Tensor wt = tensor({n_in, N}, w), bt = tensor({N}, bias);
  snn_iaf_params q = p;
  q.weight_layout = SNN_WEIGHT_INPUT_MAJOR;
  std::vector<float> v_proj;
  const std::vector<float> s_proj = run(q, {T, B, n_in}, x, &v_proj, nullptr, wt.get(), bt.get(), N);
  std::vector<float> current(T * B * N);
  for (int64_t r = 0; r < T * B; ++r)
    for (int64_t n = 0; n < N; ++n) {
      double acc = 0;
      for (int64_t k = 0; k < n_in; ++k) acc += static_cast<double>(x[r * n_in + k]) * w[k * N + n];
      current[r * N + n] = static_cast<float>(acc);
    }
  std::vector<float> v_ref;
  const std::vector<float> s_ref = run(p, {T, B, N}, current, &v_ref, nullptr, nullptr, bt.get());
  EXPECT_GT(std::accumulate(s_ref.begin(), s_ref.end(), 0.0f), 500.0f);
  int64_t differing = 0;
  for (size_t i = 0; i < s_ref.size(); ++i) differing += s_ref[i] != s_proj[i];
  EXPECT_LE(differing, 20) << "spikes moved by GEMM rounding (relative 1e-7 of the current)";
  for (size_t i = 0; i < v_ref.size() && differing == 0; ++i) ASSERT_NEAR(v_ref[i], v_proj[i], 1e-6) << i;

  // The neuron-major shape is refused under SNN_WEIGHT_INPUT_MAJOR (unless square), and an unknown layout.
  Tensor in = tensor({T, B, n_in}, x), out = filled({T, B, N}, kSentinel), w_neuron_major = tensor({N, n_in});
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(in.get(), w_neuron_major.get(), nullptr, &q, nullptr, out.get(), nullptr),
               "weight [130, 11] does not match input", "pass float32 [11, 130]", "SNN_WEIGHT_INPUT_MAJOR");
  q.weight_layout = 2;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(in.get(), wt.get(), nullptr, &q, nullptr, out.get(), nullptr),
               "params.weight_layout 2 is unknown");
  EXPECT_TRUE(untouched(out.get()));
}

// Per-neuron time constants and potentials: each neuron of one call gives, bit for bit, what a call
// with that neuron alone and its constants as scalars gives (the state starting at each neuron's own
// v_rest); bad per-neuron values are rejected with the outputs untouched.
TEST_P(Iaf, PerNeuronConstantsActAsEachNeuronsScalars) {
  const int64_t T = 2000, B = 2, N = 4;
  const std::vector<double> tau{10e-3, 20e-3, 30e-3, 15e-3}, thresh{-55e-3, -50e-3, -58e-3, -45e-3},
      reset{-65e-3, -70e-3, -60e-3, -62e-3}, rest{-65e-3, -60e-3, -70e-3, -58e-3};
  auto f64 = [&](const std::vector<double>& values) {
    Tensor t = tensor({static_cast<int64_t>(values.size())}, SNN_DTYPE_FLOAT64);
    EXPECT_EQ(snn_tensor_upload(t.get(), values.data(), values.size() * sizeof(double)), SNN_OK) << last_error();
    return t;
  };
  Tensor t_tau = f64(tau), t_thresh = f64(thresh), t_reset = f64(reset), t_rest = f64(rest);
  std::vector<float> x(static_cast<size_t>(T * B * N));
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(25e-3 + 8e-3 * std::sin(0.003 * static_cast<double>(i)));
  for (const int32_t integrator : {SNN_IAF_EXACT, SNN_IAF_RK4}) {
    snn_iaf_params p = defaults();
    p.integrator = integrator;
    p.refractory_steps = 5;
    p.tau_mem_per_neuron = t_tau.get();
    p.v_thresh_per_neuron = t_thresh.get();
    p.v_reset_per_neuron = t_reset.get();
    p.v_rest_per_neuron = t_rest.get();
    std::vector<float> v_all;
    const std::vector<float> s_all = run(p, {T, B, N}, x, &v_all);
    for (int64_t n = 0; n < N; ++n) {
      snn_iaf_params q = defaults();
      q.integrator = integrator;
      q.refractory_steps = 5;
      q.tau_mem = tau[static_cast<size_t>(n)];
      q.v_thresh = thresh[static_cast<size_t>(n)];
      q.v_reset = reset[static_cast<size_t>(n)];
      q.v_rest = rest[static_cast<size_t>(n)];
      std::vector<float> column(static_cast<size_t>(T * B)), v_one;
      for (int64_t r = 0; r < T * B; ++r) column[static_cast<size_t>(r)] = x[static_cast<size_t>(r * N + n)];
      const std::vector<float> s_one = run(q, {T, B, 1}, column, &v_one);
      int64_t spikes = 0;
      for (int64_t r = 0; r < T * B; ++r) {
        ASSERT_EQ(bits(s_one[static_cast<size_t>(r)]), bits(s_all[static_cast<size_t>(r * N + n)])) << "neuron " << n << " row " << r;
        ASSERT_EQ(bits(v_one[static_cast<size_t>(r)]), bits(v_all[static_cast<size_t>(r * N + n)])) << "neuron " << n << " row " << r;
        spikes += s_one[static_cast<size_t>(r)] != 0.0f;
      }
      EXPECT_GT(spikes, 3) << "neuron " << n;
    }
  }
  // Bad values, found per neuron; the outputs stay untouched.
  Tensor xs = filled({4, 1, N}, 0.02f);
  Tensor s = filled({4, 1, N}, kSentinel);
  Tensor v = filled({1, N}, kSentinel);
  snn_iaf_state st{v.get(), nullptr};
  Tensor low_thresh = f64({-55e-3, -55e-3, -80e-3, -55e-3}), zero_tau = f64({0.02, 0.0, 0.02, 0.02});
  Tensor short_rest = f64({-65e-3, -65e-3}), as_float = tensor({N});
  snn_iaf_params p = defaults();
  p.v_thresh_per_neuron = low_thresh.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(xs.get(), nullptr, nullptr, &p, &st, s.get(), nullptr),
               "neuron 2: v_thresh (-0.08) must be > v_reset (-0.065)");
  p = defaults();
  p.tau_mem_per_neuron = zero_tau.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(xs.get(), nullptr, nullptr, &p, &st, s.get(), nullptr),
               "params.tau_mem_per_neuron[1] must be finite and > 0");
  p = defaults();
  p.v_rest_per_neuron = short_rest.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(xs.get(), nullptr, nullptr, &p, &st, s.get(), nullptr),
               "params.v_rest_per_neuron [2] does not match spikes");
  p = defaults();
  p.v_reset_per_neuron = as_float.get();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(xs.get(), nullptr, nullptr, &p, &st, s.get(), nullptr),
               "params.v_reset_per_neuron");
  EXPECT_TRUE(untouched(s.get()));
  EXPECT_TRUE(untouched(v.get()));
}

TEST_P(Iaf, InvalidArgumentsAreRejectedAndOutputsUntouched) {
  const int64_t T = 4, B = 1, N = 3;
  Tensor x = filled({T, B, N}, 0.02f);
  Tensor s = filled({T, B, N}, kSentinel);
  Tensor v = filled({B, N}, kSentinel);
  snn_iaf_state st{v.get(), nullptr};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    void (*edit)(snn_iaf_params&, double);
    const char* fragment;
  };
  const Case cases[] = {
      {[](snn_iaf_params& p, double) { p.dt = 0; }, "params.dt must be finite and > 0"},
      {[](snn_iaf_params& p, double) { p.dt = -1e-4; }, "params.dt"},
      {[](snn_iaf_params& p, double bad) { p.dt = bad; }, "params.dt"},
      {[](snn_iaf_params& p, double) { p.tau_mem = 0; }, "params.tau_mem must be finite and > 0"},
      {[](snn_iaf_params& p, double bad) { p.tau_mem = bad; }, "params.tau_mem"},
      {[](snn_iaf_params& p, double) { p.v_thresh = -0.07; }, "must be > params.v_reset"},
      {[](snn_iaf_params& p, double) { p.v_thresh = p.v_reset; }, "must be > params.v_reset"},
      {[](snn_iaf_params& p, double bad) { p.v_rest = bad; }, "params.v_rest is nan"},
      {[](snn_iaf_params& p, double bad) { p.v_reset = bad; }, "params.v_reset is nan"},
      {[](snn_iaf_params& p, double) { p.refractory_steps = -1; }, "params.refractory_steps must be >= 0"},
      {[](snn_iaf_params& p, double) { p.noise_std = -1; }, "params.noise_std must be finite and >= 0"},
      {[](snn_iaf_params& p, double) { p.integrator = 2; }, "params.integrator 2 is unknown"},
      {[](snn_iaf_params& p, double) { p.resistance = 0; }, "params.resistance"},
  };
  for (const Case& c : cases) {
    snn_iaf_params p = defaults();
    c.edit(p, nan);
    EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, nullptr, &p, &st, s.get(), nullptr), c.fragment);
  }
  const snn_iaf_params p = defaults();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, nullptr, nullptr, &st, s.get(), nullptr), "params is NULL");
  Tensor wrong = filled({T, B, N + 1}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, nullptr, &p, &st, wrong.get(), nullptr), "spikes");
  Tensor wrong_state = filled({B, N + 1}, kSentinel);
  snn_iaf_state bad_state{wrong_state.get(), nullptr};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, nullptr, &p, &bad_state, s.get(), nullptr),
               "state->membrane [1, 4] does not match spikes");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, nullptr, &p, &st, s.get(), s.get()), "record_membrane");
  Tensor empty_t = tensor({0, B, N});
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(empty_t.get(), nullptr, nullptr, &p, &st, empty_t.get(), nullptr), "T = 0");
  Tensor bad_w = filled({N, N + 1}, 0.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), bad_w.get(), nullptr, &p, &st, s.get(), nullptr),
               "weight [3, 4] does not match input");
  Tensor bad_b = filled({N + 1}, 0.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_iaf_forward(x.get(), nullptr, bad_b.get(), &p, &st, s.get(), nullptr),
               "bias [4] does not match spikes");
  EXPECT_TRUE(untouched(s.get()));
  EXPECT_TRUE(untouched(v.get()));
  EXPECT_TRUE(untouched(wrong_state.get()));
}

SNN_INSTANTIATE_BACKENDS(Iaf);

// Any thread count gives the same bits (each neuron's arithmetic is independent of the split).
// With and without the projection (the CPU kernel then runs one small GEMM per task and block of
// steps; inputs > 256 also split the dot products into several of OpenBLAS's K blocks).
TEST(IafThreads, ResultDoesNotDependOnTheThreadCount) {
  for (int64_t n_in : {int64_t{0}, int64_t{37}, int64_t{300}}) {
    std::vector<std::vector<float>> results;
    for (int32_t threads : {1, 2, 3}) {
      Device d = open_device(SNN_DEVICE_CPU);
      ASSERT_EQ(snn_device_set_num_threads(d.get(), threads), SNN_OK) << last_error();
      const int64_t T = 200, B = 3, N = 700;
      const int64_t width = n_in > 0 ? n_in : N;  // n_in = 0: the input is the current
      Tensor x = make_tensor(d.get(), {T, B, width}, pseudo_random(T * B * width, 0.0f, n_in > 0 ? 1.0f : 0.03f, 11));
      Tensor w = n_in > 0 ? make_tensor(d.get(), {N, n_in}, pseudo_random(N * n_in, 0.0f, 0.06f / n_in, 12)) : Tensor();
      Tensor s = make_tensor(d.get(), {T, B, N});
      snn_iaf_params p = defaults();
      p.noise_std = 1e-3;
      p.refractory_steps = 3;
      ASSERT_EQ(snn_iaf_forward(x.get(), w.get(), nullptr, &p, nullptr, s.get(), nullptr), SNN_OK) << last_error();
      results.push_back(read(s.get()));
    }
    const float total = std::accumulate(results[0].begin(), results[0].end(), 0.0f);
    EXPECT_GT(total, 500.0f) << "n_in " << n_in;  // enough spikes that a difference would show
    EXPECT_TRUE(bitwise_equal(results[0], results[1])) << "n_in " << n_in;
    EXPECT_TRUE(bitwise_equal(results[0], results[2])) << "n_in " << n_in;
  }
}
