// The event-driven simulator (snn/event.h) against two independent references, one per solver:
//  - the float32 solver (EvSpikeSim's arithmetic) against EvSpikeSim's algorithm written out neuron
//    by neuron, input by input, in float32 with the same operations and its double-precision
//    exp/log: bit for bit, for any layer width, thread count, batch split and buffer size;
//  - the exact solver (the default) against a float64 run of the model that finds each crossing
//    by bisection on u(t) (no quadratic formula): same spikes within 1e-5 s, layer by layer, on
//    networks of thousands of spikes per sample.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <tuple>

#include "test_util.h"

using namespace snn_test;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct Spikes {
  std::vector<uint32_t> indices;
  std::vector<float> times;
  bool operator==(const Spikes& o) const {
    if (indices != o.indices || times.size() != o.times.size()) return false;
    for (size_t i = 0; i < times.size(); ++i)
      if (bits(times[i]) != bits(o.times[i])) return false;
    return true;
  }
};

::testing::AssertionResult same_spikes(const Spikes& expected, const Spikes& actual) {
  if (expected == actual) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << "expected " << expected.times.size() << " spikes, got " << actual.times.size();
  for (size_t i = 0; i < std::min(expected.times.size(), actual.times.size()); ++i) {
    if (expected.indices[i] != actual.indices[i] || bits(expected.times[i]) != bits(actual.times[i])) {
      failure << "; first difference at " << i << ": expected (" << expected.indices[i] << ", " << expected.times[i]
              << ") got (" << actual.indices[i] << ", " << actual.times[i] << ")";
      break;
    }
  }
  return failure;
}

// EvSpikeSim's exp and log: its unqualified calls on floats resolve to the double functions.
float ev_exp(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }
float ev_tau_log(float tau, float l) { return static_cast<float>(tau * std::log(static_cast<double>(l))); }

// EvSpikeSim's per-neuron algorithm, literally: decay to each input, integrate, fire while a
// root of a x^2 - b x + theta lies between the current time and the next input.
Spikes reference_layer(const std::vector<float>& w, int64_t n_neurons, int64_t n_inputs, float tau_s, float theta,
                       const Spikes& in, std::vector<uint32_t>* counts = nullptr) {
  const float tau = 2.0f * tau_s;
  std::vector<std::pair<float, uint32_t>> out;
  if (counts) counts->assign(static_cast<size_t>(n_neurons), 0);
  for (int64_t n = 0; n < n_neurons; ++n) {
    float a = 0.0f, b = 0.0f, now = 0.0f;
    for (size_t s = 0; s < in.times.size(); ++s) {
      float x = ev_exp((now - in.times[s]) / tau);
      a *= x * x;
      b *= x;
      now = in.times[s];
      a += w[static_cast<size_t>(n * n_inputs + in.indices[s])];
      b += w[static_cast<size_t>(n * n_inputs + in.indices[s])];
      const float next = s + 1 < in.times.size() ? in.times[s + 1] : kInf;
      for (;;) {
        const float d = b * b - 4.0f * a * theta;
        if (d < 0.0f) break;
        const float l = 2.0f * a / (b + std::sqrt(d));
        if (l <= 0.0f) break;
        const float t = now + ev_tau_log(tau, l);
        if (!(now < t && t < next)) break;
        x = ev_exp((now - t) / tau);
        a *= x * x;
        b *= x;
        now = t;
        out.emplace_back(t, static_cast<uint32_t>(n));
        if (counts) ++(*counts)[static_cast<size_t>(n)];
        b -= theta;
      }
    }
  }
  std::sort(out.begin(), out.end());
  Spikes r;
  for (const auto& [t, n] : out) {
    r.indices.push_back(n);
    r.times.push_back(t);
  }
  return r;
}

// The model in float64, from its equations: between two events the membrane of a neuron whose
// state is (a, b) at time t0 is u(t) = b x - a x^2, x = exp(-(t - t0) / tau). In each interval
// [now, next] it fires at once if u(now) >= theta, else at the first t where u reaches theta: if
// the maximum of u over the interval (at the vertex x = b / (2a) or at an end) reaches theta, the
// crossing is found by bisection on [now, argmax], where u rises. Output times are rounded to
// float32, as the library reports them; the reset uses the float64 time.
Spikes exact_reference_layer(const std::vector<float>& w, int64_t n_neurons, int64_t n_inputs, float tau_s,
                             float threshold, const Spikes& in) {
  const double tau = 2.0f * tau_s, theta = threshold;
  std::vector<std::pair<float, uint32_t>> out;
  for (int64_t n = 0; n < n_neurons; ++n) {
    double a = 0.0, b = 0.0, now = 0.0;
    const auto u_at = [&](double t) {
      const double x = std::exp(-(t - now) / tau);
      return b * x - a * x * x;
    };
    for (size_t s = 0; s < in.times.size(); ++s) {
      const double t_in = in.times[s];
      double x = std::exp(-(t_in - now) / tau);
      a *= x * x;
      b *= x;
      now = t_in;
      a += w[static_cast<size_t>(n * n_inputs + in.indices[s])];
      b += w[static_cast<size_t>(n * n_inputs + in.indices[s])];
      const double next = s + 1 < in.times.size() ? static_cast<double>(in.times[s + 1]) : 1e300;
      for (;;) {
        double t;
        if (b - a >= theta) {
          t = now;
        } else {
          // Where u peaks in [now, next]: the vertex when it lies inside, else `next`.
          double peak = next;
          if (a > 0.0 && b > 0.0 && b < 2.0 * a) {
            const double tv = now - tau * std::log(b / (2.0 * a));
            if (tv < next) peak = tv;
          }
          if (peak > 1e299) peak = now + 50.0 * tau;  // after the last input u only decays beyond this
          if (!(u_at(peak) >= theta)) break;
          double lo = now, hi = peak;  // u(lo) < theta <= u(hi), u rising on [lo, hi]
          for (int i = 0; i < 200 && hi - lo > 1e-15 * std::max(1.0, hi); ++i) {
            const double mid = 0.5 * (lo + hi);
            (u_at(mid) >= theta ? hi : lo) = mid;
          }
          t = hi;
        }
        x = std::exp(-(t - now) / tau);
        a *= x * x;
        b *= x;
        now = t;
        out.emplace_back(static_cast<float>(t), static_cast<uint32_t>(n));
        b -= theta;
      }
    }
  }
  std::sort(out.begin(), out.end());
  Spikes r;
  for (const auto& [t, n] : out) {
    r.indices.push_back(n);
    r.times.push_back(t);
  }
  return r;
}

// Same spikes per neuron (same count) and each time within `tolerance` seconds.
::testing::AssertionResult close_spikes(const Spikes& expected, const Spikes& actual, int64_t n_neurons,
                                        double tolerance) {
  std::vector<std::vector<float>> e(static_cast<size_t>(n_neurons)), g(static_cast<size_t>(n_neurons));
  for (size_t i = 0; i < expected.times.size(); ++i) e[expected.indices[i]].push_back(expected.times[i]);
  for (size_t i = 0; i < actual.times.size(); ++i) g[actual.indices[i]].push_back(actual.times[i]);
  for (int64_t n = 0; n < n_neurons; ++n) {
    const auto& en = e[static_cast<size_t>(n)];
    const auto& gn = g[static_cast<size_t>(n)];
    if (en.size() != gn.size()) {
      return ::testing::AssertionFailure() << "neuron " << n << ": " << en.size() << " spikes expected, got "
                                           << gn.size() << " (" << expected.times.size() << " vs "
                                           << actual.times.size() << " in all)";
    }
    for (size_t k = 0; k < en.size(); ++k) {
      if (!(std::abs(static_cast<double>(en[k]) - gn[k]) <= tolerance)) {
        return ::testing::AssertionFailure() << "neuron " << n << ", spike " << k << ": expected " << en[k]
                                             << " got " << gn[k];
      }
    }
  }
  if (!std::is_sorted(actual.times.begin(), actual.times.end())) {
    return ::testing::AssertionFailure() << "the output is not sorted by time";
  }
  return ::testing::AssertionSuccess();
}

// n spikes with random indices in [0, n_inputs) and random times in [0, duration), sorted.
Spikes random_input(size_t n, int64_t n_inputs, float duration, uint64_t seed) {
  const std::vector<float> u = pseudo_random(2 * n, 0.0f, 1.0f, seed);
  std::vector<std::pair<float, uint32_t>> v;
  for (size_t i = 0; i < n; ++i) {
    const auto index = std::min(static_cast<uint32_t>(u[2 * i] * static_cast<float>(n_inputs)),
                                static_cast<uint32_t>(n_inputs - 1));
    v.emplace_back(u[2 * i + 1] * duration, index);
  }
  std::sort(v.begin(), v.end());
  Spikes s;
  for (const auto& [t, i] : v) {
    s.indices.push_back(i);
    s.times.push_back(t);
  }
  return s;
}

struct NetworkRelease {
  void operator()(snn_event_network* n) const { snn_event_network_release(n); }
};
using Network = std::unique_ptr<snn_event_network, NetworkRelease>;

struct LayerSpec {
  int64_t n_inputs, n_neurons;
  float tau_s, threshold, w_lo, w_hi;
};

class EventNetwork : public CpuTest {
 protected:
  Network build(const std::vector<LayerSpec>& specs, int64_t buffer_size = 64, int32_t threads = 0,
                int32_t solver = SNN_EVENT_SOLVER_FLOAT32) {
    EXPECT_EQ(snn_device_set_num_threads(device(), threads), SNN_OK);
    snn_event_network* raw = nullptr;
    EXPECT_EQ(snn_event_network_create_with_solver(device(), solver, &raw), SNN_OK) << last_error();
    Network net(raw);
    weights_.clear();
    uint64_t seed = 100;
    for (const LayerSpec& s : specs) {
      std::vector<float> w = pseudo_random(static_cast<size_t>(s.n_inputs * s.n_neurons), s.w_lo, s.w_hi, seed++);
      Tensor t = tensor({s.n_neurons, s.n_inputs}, w);
      const snn_event_fc_params p{s.n_inputs, s.n_neurons, s.tau_s, s.threshold, buffer_size};
      int64_t index = -1;
      EXPECT_EQ(snn_event_network_add_fc_layer(net.get(), &p, t.get(), &index), SNN_OK) << last_error();
      EXPECT_EQ(index, static_cast<int64_t>(weights_.size()));
      weights_.push_back(std::move(w));
    }
    return net;
  }

  static void infer(snn_event_network* net, const std::vector<Spikes>& batch) {
    std::vector<int64_t> offsets{0};
    std::vector<uint32_t> indices;
    std::vector<float> times;
    for (const Spikes& s : batch) {
      indices.insert(indices.end(), s.indices.begin(), s.indices.end());
      times.insert(times.end(), s.times.begin(), s.times.end());
      offsets.push_back(static_cast<int64_t>(indices.size()));
    }
    ASSERT_EQ(snn_event_network_infer(net, static_cast<int64_t>(batch.size()), offsets.data(), indices.data(),
                                      times.data()),
              SNN_OK)
        << last_error();
  }

  static Spikes output(const snn_event_network* net, int64_t layer, int64_t sample) {
    int64_t n = -1;
    EXPECT_EQ(snn_event_network_spike_count(net, layer, sample, &n), SNN_OK) << last_error();
    Spikes s;
    s.indices.resize(static_cast<size_t>(n));
    s.times.resize(static_cast<size_t>(n));
    EXPECT_EQ(snn_event_network_spikes(net, layer, sample, s.indices.data(), s.times.data(), n), SNN_OK) << last_error();
    return s;
  }

  static std::vector<uint32_t> counts(const snn_event_network* net, int64_t layer, int64_t sample, int64_t neurons) {
    std::vector<uint32_t> c(static_cast<size_t>(neurons));
    EXPECT_EQ(snn_event_network_neuron_spike_counts(net, layer, sample, c.data(), neurons), SNN_OK) << last_error();
    return c;
  }

  // Layer by layer, each fed with the reference output of the layer before.
  std::vector<Spikes> reference(const std::vector<LayerSpec>& specs, const Spikes& input) const {
    std::vector<Spikes> outs;
    const Spikes* in = &input;
    for (size_t l = 0; l < specs.size(); ++l) {
      const LayerSpec& s = specs[l];
      outs.push_back(reference_layer(weights_[l], s.n_neurons, s.n_inputs, s.tau_s, s.threshold, *in));
      in = &outs.back();
    }
    return outs;
  }

  std::vector<std::vector<float>> weights_;
};

Network create(snn_device* device, int32_t solver) {
  snn_event_network* raw = nullptr;
  EXPECT_EQ(snn_event_network_create_with_solver(device, solver, &raw), SNN_OK) << last_error();
  return Network(raw);
}

const std::vector<LayerSpec> kTwoLayers = {{64, 45, 0.01f, 0.5f, -0.4f, 1.0f}, {45, 7, 0.005f, 0.3f, -0.5f, 1.0f}};

}  // namespace

TEST_F(EventNetwork, MatchesTheReferenceBitForBitAcrossWidths) {
  // Widths around the 16-neuron blocks, inputs longer than one 128-spike weight panel.
  for (int64_t neurons : {1, 15, 16, 17, 33, 100}) {
    SCOPED_TRACE(::testing::Message() << "n_neurons " << neurons);
    const std::vector<LayerSpec> specs = {{50, neurons, 0.01f, 0.5f, -0.3f, 1.0f}};
    Network net = build(specs);
    const Spikes input = random_input(300, 50, 0.1f, static_cast<uint64_t>(neurons));
    infer(net.get(), {input});
    const std::vector<Spikes> ref = reference(specs, input);
    const Spikes got = output(net.get(), 0, 0);
    EXPECT_TRUE(same_spikes(ref[0], got));
    EXPECT_GT(got.times.size(), static_cast<size_t>(neurons)) << "the data should make neurons fire";
    std::vector<uint32_t> ref_counts;
    reference_layer(weights_[0], neurons, 50, 0.01f, 0.5f, input, &ref_counts);
    EXPECT_EQ(ref_counts, counts(net.get(), 0, 0, neurons));
  }
}

TEST_F(EventNetwork, MultiLayerNetworksMatchTheReference) {
  Network net = build(kTwoLayers);
  const Spikes input = random_input(400, 64, 0.1f, 7);
  infer(net.get(), {input});
  const std::vector<Spikes> ref = reference(kTwoLayers, input);
  for (int64_t l = 0; l < 2; ++l) {
    SCOPED_TRACE(::testing::Message() << "layer " << l);
    EXPECT_TRUE(same_spikes(ref[static_cast<size_t>(l)], output(net.get(), l, 0)));
    EXPECT_GT(ref[static_cast<size_t>(l)].times.size(), 10u);
  }
  int64_t layers = 0;
  EXPECT_EQ(snn_event_network_layer_count(net.get(), &layers), SNN_OK);
  EXPECT_EQ(layers, 2);
}

TEST_F(EventNetwork, SeveralSpikesBetweenTwoInputsAndAfterTheLast) {
  // Strong weights: one input makes a neuron fire a burst; the burst continues after the last input.
  const std::vector<LayerSpec> specs = {{4, 20, 0.01f, 0.2f, 2.0f, 6.0f}};
  Network net = build(specs);
  Spikes input;
  input.indices = {0, 1, 2};
  input.times = {0.001f, 0.03f, 0.06f};
  infer(net.get(), {input});
  const Spikes got = output(net.get(), 0, 0);
  EXPECT_TRUE(same_spikes(reference(specs, input)[0], got));
  const auto c = counts(net.get(), 0, 0, 20);
  EXPECT_GT(*std::max_element(c.begin(), c.end()), 3u) << "a neuron should fire a burst";
  size_t between = 0, after = 0;
  for (float t : got.times) {
    between += t > 0.001f && t < 0.03f;
    after += t > 0.06f;
  }
  EXPECT_GT(between, 40u) << "several spikes per neuron between the first two inputs";
  EXPECT_GT(after, 0u) << "spikes after the last input (open interval)";
  EXPECT_TRUE(std::is_sorted(got.times.begin(), got.times.end()));
}

TEST_F(EventNetwork, SameResultForEveryThreadCountBatchSplitAndBufferSize) {
  std::vector<Spikes> batch;
  for (uint64_t s = 0; s < 5; ++s) batch.push_back(random_input(150 + 40 * s, 64, 0.1f, 30 + s));
  batch.insert(batch.begin() + 2, Spikes{});  // an empty sample in the middle

  Network single = build(kTwoLayers, 64, 1);
  std::vector<std::vector<Spikes>> expected;  // [sample][layer]
  for (const Spikes& in : batch) {
    infer(single.get(), {in});
    expected.push_back({output(single.get(), 0, 0), output(single.get(), 1, 0)});
    const std::vector<Spikes> ref = reference(kTwoLayers, in);
    EXPECT_TRUE(same_spikes(ref[0], expected.back()[0]));
    EXPECT_TRUE(same_spikes(ref[1], expected.back()[1]));
  }
  for (int32_t threads : {1, 2, 3}) {
    for (int64_t buffer : {1, 2, 64}) {
      SCOPED_TRACE(::testing::Message() << threads << " threads, buffer_size " << buffer);
      Network net = build(kTwoLayers, buffer, threads);
      infer(net.get(), batch);
      int64_t b = -1;
      EXPECT_EQ(snn_event_network_batch_size(net.get(), &b), SNN_OK);
      EXPECT_EQ(b, static_cast<int64_t>(batch.size()));
      for (size_t s = 0; s < batch.size(); ++s)
        for (int64_t l = 0; l < 2; ++l)
          EXPECT_TRUE(same_spikes(expected[s][static_cast<size_t>(l)], output(net.get(), l, static_cast<int64_t>(s))))
              << "sample " << s << " layer " << l;
    }
  }
}

TEST_F(EventNetwork, TiesAreOrderedByNeuronIndexAndEqualInputTimesAreAllowed) {
  // Identical rows fire at identical times; the output lists them by neuron index.
  const std::vector<LayerSpec> specs = {{3, 40, 0.01f, 0.5f, 1.0f, 1.0f}};
  Network net = build(specs);
  Spikes input;
  input.indices = {0, 1, 1, 2, 0};
  input.times = {0.01f, 0.01f, 0.01f, 0.02f, 0.02f};
  infer(net.get(), {input});
  const Spikes got = output(net.get(), 0, 0);
  ASSERT_GE(got.times.size(), 40u);
  EXPECT_TRUE(same_spikes(reference(specs, input)[0], got));
  for (size_t i = 0; i < 40; ++i) {
    EXPECT_EQ(got.indices[i], i);
    EXPECT_EQ(bits(got.times[i]), bits(got.times[0]));
  }
}

TEST_F(EventNetwork, SpikeTimesSolveTheModelInDoublePrecision) {
  // One neuron, one input of weight w at t0: u(t) = w (x - x^2), x = exp(-(t - t0) / tau), reaches
  // theta first at x = (1 + sqrt(1 - 4 theta / w)) / 2.
  const float w = 3.0f, theta = 0.5f, tau_s = 0.01f, t0 = 0.01f;
  snn_event_network* raw = nullptr;
  ASSERT_EQ(snn_event_network_create(device(), &raw), SNN_OK);
  Network net(raw);
  Tensor weights = tensor({1, 1}, std::vector<float>{w});
  const snn_event_fc_params p{1, 1, tau_s, theta, 64};
  int64_t index = 0;
  ASSERT_EQ(snn_event_network_add_fc_layer(net.get(), &p, weights.get(), &index), SNN_OK);
  Spikes input;
  input.indices = {0};
  input.times = {t0};
  infer(net.get(), {input});
  const Spikes got = output(net.get(), 0, 0);
  ASSERT_GE(got.times.size(), 1u);
  const double tau = 2.0 * tau_s, x = (1.0 + std::sqrt(1.0 - 4.0 * theta / w)) / 2.0;
  EXPECT_NEAR(got.times[0], t0 - tau * std::log(x), 1e-6);
  // Every spike: the membrane from the closed form (all inputs, earlier spikes' resets) is theta.
  for (size_t k = 0; k < got.times.size(); ++k) {
    const double t = got.times[k];
    double u = w * (std::exp(-(t - t0) / tau) - std::exp(-(t - t0) / tau_s));
    for (size_t j = 0; j < k; ++j) u -= theta * std::exp(-(t - got.times[j]) / tau);
    EXPECT_NEAR(u, theta, 1e-4) << "spike " << k << " at " << t;
  }
}

TEST_F(EventNetwork, WritesToTheWeightTensorTakeEffectAtTheNextInference) {
  Network net = create(device(), SNN_EVENT_SOLVER_FLOAT32);
  std::vector<float> host(8 * 4, 0.0f);
  snn_tensor* view = nullptr;
  const int64_t shape[2] = {8, 4};
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, host.data(), host.size() * 4, &view), SNN_OK);
  Tensor weights(view);
  const snn_event_fc_params p{4, 8, 0.01f, 0.5f, 64};
  int64_t index = 0;
  ASSERT_EQ(snn_event_network_add_fc_layer(net.get(), &p, weights.get(), &index), SNN_OK);
  weights.reset();  // the network keeps its own reference
  Spikes input = random_input(20, 4, 0.05f, 3);
  infer(net.get(), {input});
  EXPECT_TRUE(output(net.get(), 0, 0).times.empty()) << "zero weights never fire";
  std::fill(host.begin(), host.end(), 1.5f);
  infer(net.get(), {input});
  EXPECT_TRUE(same_spikes(reference_layer(host, 8, 4, 0.01f, 0.5f, input), output(net.get(), 0, 0)));
  EXPECT_FALSE(output(net.get(), 0, 0).times.empty());
}

TEST_F(EventNetwork, EmptyBatchesAndEmptySamples) {
  Network net = build(kTwoLayers);
  const int64_t zero = 0;
  ASSERT_EQ(snn_event_network_infer(net.get(), 0, &zero, nullptr, nullptr), SNN_OK) << last_error();
  int64_t b = -1;
  EXPECT_EQ(snn_event_network_batch_size(net.get(), &b), SNN_OK);
  EXPECT_EQ(b, 0);
  infer(net.get(), {Spikes{}, Spikes{}});
  EXPECT_TRUE(output(net.get(), 1, 1).times.empty());
  EXPECT_EQ(counts(net.get(), 0, 1, 45), std::vector<uint32_t>(45, 0));
}

namespace {

// 200 inputs, three layers, thousands of spikes per sample in every layer: neurons receive many
// inputs within tau and fire bursts, so crossings often fall within float32 rounding of an input.
const std::vector<LayerSpec> kBusy = {{200, 100, 0.01f, 0.5f, -0.3f, 0.36f},
                                      {100, 100, 0.01f, 0.5f, -0.3f, 0.33f},
                                      {100, 60, 0.008f, 0.4f, -0.3f, 0.33f}};

size_t total_spikes(const std::vector<Spikes>& layers, size_t l) { return layers[l].times.size(); }

}  // namespace

TEST_F(EventNetwork, ExactSolverMatchesTheFloat64ModelOnBusyNetworksLayerByLayer) {
  Network net = build(kBusy, 64, 0, SNN_EVENT_SOLVER_EXACT);
  for (uint64_t sample = 0; sample < 3; ++sample) {
    SCOPED_TRACE(::testing::Message() << "sample " << sample);
    const Spikes input = random_input(2000, 200, 0.1f, 500 + sample);
    infer(net.get(), {input});
    const Spikes* in = &input;
    std::vector<Spikes> got;
    for (size_t l = 0; l < kBusy.size(); ++l) got.push_back(output(net.get(), static_cast<int64_t>(l), 0));
    for (size_t l = 0; l < kBusy.size(); ++l) {
      SCOPED_TRACE(::testing::Message() << "layer " << l);
      const LayerSpec& s = kBusy[l];
      // Given the same input spikes (the library's output of the layer before), the same output.
      const Spikes ref = exact_reference_layer(weights_[l], s.n_neurons, s.n_inputs, s.tau_s, s.threshold, *in);
      EXPECT_TRUE(close_spikes(ref, got[l], s.n_neurons, 1e-5));
      EXPECT_GT(ref.times.size(), 2000u) << "the network should be busy";
      std::cout << "[ exact    ] sample " << sample << " layer " << l << ": float64 model " << ref.times.size()
                << " spikes, exact solver " << got[l].times.size() << "\n";
      in = &got[l];
    }
  }
}

TEST_F(EventNetwork, Float32SolverIsEvSpikeSimBitForBitOnBusyNetworksAndMissesCrossings) {
  Network f32 = build(kBusy, 64, 0, SNN_EVENT_SOLVER_FLOAT32);
  Network exact = build(kBusy, 64, 0, SNN_EVENT_SOLVER_EXACT);
  const Spikes input = random_input(2000, 200, 0.1f, 500);
  infer(f32.get(), {input});
  infer(exact.get(), {input});
  const std::vector<Spikes> ref = reference(kBusy, input);
  size_t missing = 0;
  for (size_t l = 0; l < kBusy.size(); ++l) {
    SCOPED_TRACE(::testing::Message() << "layer " << l);
    EXPECT_TRUE(same_spikes(ref[l], output(f32.get(), static_cast<int64_t>(l), 0)));
    const size_t n_exact = output(exact.get(), static_cast<int64_t>(l), 0).times.size();
    std::cout << "[ float32  ] layer " << l << ": float32 solver " << total_spikes(ref, l) << " spikes, exact solver "
              << n_exact << "\n";
    if (n_exact > total_spikes(ref, l)) missing += n_exact - total_spikes(ref, l);
  }
  // EvSpikeSim's acceptance test drops crossings within rounding of an input and the neuron stays
  // silent above threshold: on such a network whole bursts go missing.
  EXPECT_GT(missing, 500u);
}

TEST_F(EventNetwork, ExactSolverGivesTheSameBitsForEveryThreadCountBatchSplitAndBufferSize) {
  std::vector<Spikes> batch;
  for (uint64_t s = 0; s < 3; ++s) batch.push_back(random_input(1200 + 300 * s, 200, 0.1f, 80 + s));
  batch.insert(batch.begin() + 1, Spikes{});
  Network single = build(kBusy, 64, 1, SNN_EVENT_SOLVER_EXACT);
  std::vector<std::vector<Spikes>> expected;
  for (const Spikes& in : batch) {
    infer(single.get(), {in});
    expected.push_back({});
    for (int64_t l = 0; l < 3; ++l) expected.back().push_back(output(single.get(), l, 0));
  }
  for (int32_t threads : {2, 3}) {
    for (int64_t buffer : {1, 64}) {
      SCOPED_TRACE(::testing::Message() << threads << " threads, buffer_size " << buffer);
      Network net = build(kBusy, buffer, threads, SNN_EVENT_SOLVER_EXACT);
      infer(net.get(), batch);
      for (size_t s = 0; s < batch.size(); ++s)
        for (int64_t l = 0; l < 3; ++l)
          EXPECT_TRUE(same_spikes(expected[s][static_cast<size_t>(l)], output(net.get(), l, static_cast<int64_t>(s))))
              << "sample " << s << " layer " << l;
    }
  }
}

TEST_F(EventNetwork, ExactSolverFiresAtOnceWhenACrossingFallsOnAnInputTime) {
  // One input of weight w at t0 makes the neuron cross theta at t1 (closed form); a second input of
  // weight 0 at float(t1) or a few ulps away, within rounding of the crossing. The neuron must fire
  // at t1 and go on firing like the one-input neuron (the zero weight changes nothing).
  const float w = 8.0f, theta = 0.5f, tau_s = 0.01f, t0 = 0.01f;
  const double tau = 2.0 * tau_s, x = (1.0 + std::sqrt(1.0 - 4.0 * theta / w)) / 2.0;
  const float t1 = static_cast<float>(t0 - tau * std::log(x));
  for (float delta : {-2e-9f, 0.0f, 2e-9f}) {
    SCOPED_TRACE(::testing::Message() << "second input at t1 + " << delta);
    Network net = create(device(), SNN_EVENT_SOLVER_EXACT);
    std::vector<float> weights{w, 0.0f};
    Tensor t = tensor({1, 2}, weights);
    const snn_event_fc_params p{2, 1, tau_s, theta, 64};
    int64_t index = 0;
    ASSERT_EQ(snn_event_network_add_fc_layer(net.get(), &p, t.get(), &index), SNN_OK);
    Spikes one, two;
    one.indices = {0};
    one.times = {t0};
    two.indices = {0, 1};
    two.times = {t0, t1 + delta};
    infer(net.get(), {one});
    const Spikes alone = output(net.get(), 0, 0);
    infer(net.get(), {two});
    const Spikes got = output(net.get(), 0, 0);
    ASSERT_EQ(got.times.size(), alone.times.size());
    ASSERT_GE(got.times.size(), 2u);
    EXPECT_NEAR(got.times[0], t1, 1e-7);
    for (size_t k = 0; k < got.times.size(); ++k) EXPECT_NEAR(got.times[k], alone.times[k], 1e-7);
    EXPECT_TRUE(close_spikes(exact_reference_layer(weights, 1, 2, tau_s, theta, two), got, 1, 1e-7));
  }
}

TEST_F(EventNetwork, ExactSolverHandlesWeightsFarBeyondTheThreshold) {
  // w = 1e7 theta: the membrane crosses theta within ~1e-10 s of the input and fires a dense burst
  // until an input of -w, 1 us later, cancels the drive. float32 arithmetic finds no spike at all
  // (L rounds to 1); the exact solver finds the float64 model's spikes.
  const float theta = 0.5f, tau_s = 0.01f;
  const std::vector<float> weights{1e7f * theta, -1e7f * theta};
  Spikes input;
  input.indices = {0, 1};
  input.times = {0.01f, 0.010001f};
  const Spikes ref = exact_reference_layer(weights, 1, 2, tau_s, theta, input);
  ASSERT_GT(ref.times.size(), 100u);
  for (int32_t solver : {SNN_EVENT_SOLVER_EXACT, SNN_EVENT_SOLVER_FLOAT32}) {
    Network net = create(device(), solver);
    Tensor t = tensor({1, 2}, weights);
    const snn_event_fc_params p{2, 1, tau_s, theta, 64};
    int64_t index = 0;
    ASSERT_EQ(snn_event_network_add_fc_layer(net.get(), &p, t.get(), &index), SNN_OK);
    infer(net.get(), {input});
    if (solver == SNN_EVENT_SOLVER_EXACT) {
      EXPECT_TRUE(close_spikes(ref, output(net.get(), 0, 0), 1, 1e-5));
    } else {
      EXPECT_TRUE(same_spikes(reference_layer(weights, 1, 2, tau_s, theta, input), output(net.get(), 0, 0)));
    }
  }
}

TEST_F(EventNetwork, UnknownSolverIsRefused) {
  snn_event_network* raw = nullptr;
  EXPECT_EQ(snn_event_network_create_with_solver(device(), 7, &raw), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(raw, nullptr);
  EXPECT_NE(last_error().find("SNN_EVENT_SOLVER_EXACT"), std::string::npos) << last_error();
}
