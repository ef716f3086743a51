// Layers with custom callbacks (snn_event_network_add_fc_layer_from_library): the spikes of a
// plain layer, the traces of a literal reference of the documented call order, loading errors,
// a throwing callback, and batching.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "test_util.h"

using namespace snn_test;

namespace {

struct NetworkRelease {
  void operator()(snn_event_network* n) const { snn_event_network_release(n); }
};
using Network = std::unique_ptr<snn_event_network, NetworkRelease>;

constexpr int64_t kInputs = 30, kNeurons = 20;
constexpr float kTauS = 0.01f, kThreshold = 0.5f;

struct Sample {
  std::vector<uint32_t> indices;
  std::vector<float> times;
};

Sample random_sample(size_t n, uint64_t seed) {
  const std::vector<float> u = pseudo_random(2 * n, 0.0f, 1.0f, seed);
  std::vector<std::pair<float, uint32_t>> v;
  for (size_t i = 0; i < n; ++i)
    v.emplace_back(0.05f * u[2 * i + 1], std::min(static_cast<uint32_t>(u[2 * i] * kInputs), uint32_t{kInputs - 1}));
  std::sort(v.begin(), v.end());
  Sample s;
  for (const auto& [t, i] : v) {
    s.indices.push_back(i);
    s.times.push_back(t);
  }
  return s;
}

// The STDP example's traces, written from the documented order: per neuron, decay every trace
// from its last event (exp((t_last - t) / tau_k)), then the callbacks.
struct StdpTraces {
  std::vector<float> synaptic;  // [kNeurons, kInputs, 2]
  std::vector<float> neuron;    // [kNeurons, 1]
};

// EvSpikeSim's exp and log (the double functions on float arguments), as the float32 solver has them.
float ev_exp(float x) { return static_cast<float>(std::exp(static_cast<double>(x))); }

StdpTraces reference_stdp(const std::vector<float>& w, const Sample& in) {
  const float tau = 2.0f * kTauS;
  StdpTraces r{std::vector<float>(kNeurons * kInputs * 2, 0.0f), std::vector<float>(kNeurons, 0.0f)};
  for (int64_t n = 0; n < kNeurons; ++n) {
    float* syn = r.synaptic.data() + n * kInputs * 2;
    float& post = r.neuron[static_cast<size_t>(n)];
    float a = 0, b = 0, now = 0;
    auto decay = [&](float t) {
      const float x = ev_exp((now - t) / tau);
      a *= x * x;
      b *= x;
      post *= ev_exp((now - t) / tau);
      const float f0 = ev_exp((now - t) / tau), f1 = ev_exp((now - t) / INFINITY);
      for (int64_t j = 0; j < kInputs; ++j) {
        syn[j * 2] *= f0;
        syn[j * 2 + 1] *= f1;
      }
      now = t;
    };
    for (size_t s = 0; s < in.times.size(); ++s) {
      decay(in.times[s]);
      const float wj = w[static_cast<size_t>(n * kInputs + in.indices[s])];
      float* sj = syn + in.indices[s] * 2;
      sj[0] += 1.0f;      // on_pre_synapse
      sj[1] -= post;
      a += wj;
      b += wj;
      const float next = s + 1 < in.times.size() ? in.times[s + 1] : INFINITY;
      for (;;) {
        const float d = b * b - 4.0f * a * kThreshold;
        if (d < 0.0f) break;
        const float l = 2.0f * a / (b + std::sqrt(d));
        if (l <= 0.0f) break;
        const float t = now + static_cast<float>(tau * std::log(static_cast<double>(l)));
        if (!(now < t && t < next)) break;
        decay(t);
        post += 1.0f;     // on_post_neuron
        for (int64_t j = 0; j < kInputs; ++j) syn[j * 2 + 1] += syn[j * 2];  // on_post_synapse
        b -= kThreshold;
      }
    }
  }
  return r;
}

class EventCallbacks : public CpuTest {
 protected:
  void SetUp() override {
    CpuTest::SetUp();
    weights_ = pseudo_random(kNeurons * kInputs, -0.3f, 1.0f, 77);
  }

  Network network(const char* library, int32_t threads = 0, int32_t solver = SNN_EVENT_SOLVER_FLOAT32) {
    EXPECT_EQ(snn_device_set_num_threads(device(), threads), SNN_OK);
    snn_event_network* raw = nullptr;
    EXPECT_EQ(snn_event_network_create_with_solver(device(), solver, &raw), SNN_OK);
    Network net(raw);
    Tensor w = tensor({kNeurons, kInputs}, weights_);
    const snn_event_fc_params p{kInputs, kNeurons, kTauS, kThreshold, 64};
    int64_t index = -1;
    const snn_status s = library ? snn_event_network_add_fc_layer_from_library(net.get(), &p, w.get(), library, &index)
                                 : snn_event_network_add_fc_layer(net.get(), &p, w.get(), &index);
    EXPECT_EQ(s, SNN_OK) << last_error();
    return net;
  }

  static void infer(snn_event_network* net, const std::vector<Sample>& batch) {
    std::vector<int64_t> offsets{0};
    std::vector<uint32_t> idx;
    std::vector<float> t;
    for (const Sample& s : batch) {
      idx.insert(idx.end(), s.indices.begin(), s.indices.end());
      t.insert(t.end(), s.times.begin(), s.times.end());
      offsets.push_back(static_cast<int64_t>(idx.size()));
    }
    ASSERT_EQ(snn_event_network_infer(net, static_cast<int64_t>(batch.size()), offsets.data(), idx.data(), t.data()),
              SNN_OK)
        << last_error();
  }

  static Sample spikes(const snn_event_network* net, int64_t sample) {
    int64_t n = 0;
    EXPECT_EQ(snn_event_network_spike_count(net, 0, sample, &n), SNN_OK);
    Sample s;
    s.indices.resize(static_cast<size_t>(n));
    s.times.resize(static_cast<size_t>(n));
    EXPECT_EQ(snn_event_network_spikes(net, 0, sample, s.indices.data(), s.times.data(), n), SNN_OK);
    return s;
  }

  static std::vector<float> traces(const snn_event_network* net, int64_t sample, bool synaptic, int64_t count) {
    std::vector<float> v(static_cast<size_t>(count), kSentinel);
    const snn_status s = synaptic ? snn_event_network_synaptic_traces(net, 0, sample, v.data(), count)
                                  : snn_event_network_neuron_traces(net, 0, sample, v.data(), count);
    EXPECT_EQ(s, SNN_OK) << last_error();
    return v;
  }

  std::vector<float> weights_;
};

}  // namespace

TEST_F(EventCallbacks, StdpLayerFiresLikeThePlainLayerAndKeepsTheDocumentedTraces) {
  Network plain = network(nullptr), stdp = network(SNN_TEST_EVENT_STDP);
  int32_t ns = -1, nn = -1;
  ASSERT_EQ(snn_event_network_trace_counts(stdp.get(), 0, &ns, &nn), SNN_OK);
  EXPECT_EQ(ns, 2);
  EXPECT_EQ(nn, 1);
  ASSERT_EQ(snn_event_network_trace_counts(plain.get(), 0, &ns, &nn), SNN_OK);
  EXPECT_EQ(ns + nn, 0);

  const Sample in = random_sample(150, 5);
  infer(plain.get(), {in});
  infer(stdp.get(), {in});
  const Sample a = spikes(plain.get(), 0), b = spikes(stdp.get(), 0);
  ASSERT_GT(a.times.size(), 20u);
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_TRUE(bitwise_equal(a.times, b.times));

  const StdpTraces ref = reference_stdp(weights_, in);
  EXPECT_TRUE(bitwise_equal(ref.synaptic, traces(stdp.get(), 0, true, kNeurons * kInputs * 2)));
  EXPECT_TRUE(bitwise_equal(ref.neuron, traces(stdp.get(), 0, false, kNeurons)));
  float eligibility = 0;
  for (size_t i = 1; i < ref.synaptic.size(); i += 2) eligibility += std::fabs(ref.synaptic[i]);
  EXPECT_GT(eligibility, 1.0f) << "the data should build up STDP eligibility";
  std::vector<float> none;
  EXPECT_EQ(snn_event_network_synaptic_traces(plain.get(), 0, 0, none.data(), 0), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_neuron_traces(stdp.get(), 0, 0, none.data(), 3),
               "layer 0 has 20 neuron trace values per sample");
}

TEST_F(EventCallbacks, CountsTracesAndCallOrderOfTheBasicExample) {
  Network net = network(SNN_TEST_EVENT_BASIC_TRACES);
  const Sample in = random_sample(120, 6);
  infer(net.get(), {in});
  const std::vector<float> syn = traces(net.get(), 0, true, kNeurons * kInputs * 2);
  const std::vector<float> neu = traces(net.get(), 0, false, kNeurons * 2);
  std::vector<uint32_t> counts(kNeurons);
  ASSERT_EQ(snn_event_network_neuron_spike_counts(net.get(), 0, 0, counts.data(), kNeurons), SNN_OK);
  for (int64_t n = 0; n < kNeurons; ++n) {
    float received = 0;
    for (uint32_t j : in.indices) received += weights_[static_cast<size_t>(n * kInputs + j)];
    EXPECT_EQ(neu[static_cast<size_t>(n * 2)], static_cast<float>(counts[static_cast<size_t>(n)]));
    EXPECT_EQ(bits(neu[static_cast<size_t>(n * 2 + 1)]), bits(received)) << "on_pre_neuron sees every input's weight";
    for (int64_t j = 0; j < kInputs; ++j) {
      const auto through = std::count(in.indices.begin(), in.indices.end(), static_cast<uint32_t>(j));
      EXPECT_EQ(syn[static_cast<size_t>((n * kInputs + j) * 2 + 1)], static_cast<float>(through));
      EXPECT_LE(syn[static_cast<size_t>((n * kInputs + j) * 2)], static_cast<float>(through));  // decays
    }
  }
}

TEST_F(EventCallbacks, BatchesAndThreadCountsGiveTheSameTraces) {
  const std::vector<Sample> batch = {random_sample(100, 7), Sample{}, random_sample(160, 8)};
  Network one = network(SNN_TEST_EVENT_STDP, 1);
  std::vector<std::vector<float>> expected;
  for (const Sample& s : batch) {
    infer(one.get(), {s});
    expected.push_back(traces(one.get(), 0, true, kNeurons * kInputs * 2));
  }
  for (int32_t threads : {1, 2}) {
    Network net = network(SNN_TEST_EVENT_STDP, threads);
    infer(net.get(), batch);
    for (size_t s = 0; s < batch.size(); ++s)
      EXPECT_TRUE(bitwise_equal(expected[s], traces(net.get(), static_cast<int64_t>(s), true, kNeurons * kInputs * 2)))
          << threads << " threads, sample " << s;
  }
}

TEST_F(EventCallbacks, AThrowingCallbackFailsTheInferenceAndKeepsEarlierResults) {
  Network net = network(SNN_TEST_EVENT_THROWING);
  const Sample quiet{{0}, {0.01f}};
  infer(net.get(), {quiet});
  const Sample in = random_sample(150, 9);
  std::vector<int64_t> offsets{0, static_cast<int64_t>(in.times.size())};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_event_network_infer(net.get(), 1, offsets.data(), in.indices.data(), in.times.data()),
               "threw: second spike of a neuron", "fix the callback source");
  EXPECT_TRUE(spikes(net.get(), 0).times.empty()) << "the quiet sample's results stay";
}

TEST_F(EventCallbacks, LibrariesThatCannotServeAreRefusedWithTheReason) {
  snn_event_network* raw = nullptr;
  ASSERT_EQ(snn_event_network_create(device(), &raw), SNN_OK);
  Network net(raw);
  Tensor w = tensor({kNeurons, kInputs}, weights_);
  const snn_event_fc_params p{kInputs, kNeurons, kTauS, kThreshold, 64};
  int64_t index = -9;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_event_network_add_fc_layer_from_library(net.get(), &p, w.get(), "/nonexistent/libcallbacks.so", &index),
               "could not load the callback library /nonexistent/libcallbacks.so");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_event_network_add_fc_layer_from_library(net.get(), &p, w.get(), SNN_TEST_BAD_ABI_LIBRARY, &index),
               "lacks the function snn_event_callbacks_version");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_event_network_add_fc_layer_from_library(net.get(), &p, w.get(), nullptr, &index), "library_path is NULL");
  EXPECT_EQ(index, -9);
  int64_t layers = -1;
  ASSERT_EQ(snn_event_network_layer_count(net.get(), &layers), SNN_OK);
  EXPECT_EQ(layers, 0);
  const std::string header = snn_event_callbacks_header();
  EXPECT_NE(header.find("#define SNN_EVENT_CALLBACKS_VERSION 1"), std::string::npos);
  EXPECT_NE(header.find("void on_post_synapse(float weight, const float* neuron_traces, float* synaptic_traces);"),
            std::string::npos);
}

TEST_F(EventCallbacks, ExactSolverStdpLayerFiresLikeThePlainLayerAndItsTracesFollowItsSpikes) {
  Network plain = network(nullptr, 0, SNN_EVENT_SOLVER_EXACT), stdp = network(SNN_TEST_EVENT_STDP, 0, SNN_EVENT_SOLVER_EXACT);
  const Sample in = random_sample(150, 5);
  infer(plain.get(), {in});
  infer(stdp.get(), {in});
  const Sample a = spikes(plain.get(), 0), b = spikes(stdp.get(), 0);
  ASSERT_GT(a.times.size(), 20u);
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_TRUE(bitwise_equal(a.times, b.times));

  // The traces replayed in double over each neuron's inputs and its reported spikes, in the
  // documented order (a spike at an input's time comes after that input).
  const double tau = 2.0f * kTauS;
  const std::vector<float> syn = traces(stdp.get(), 0, true, kNeurons * kInputs * 2);
  const std::vector<float> neu = traces(stdp.get(), 0, false, kNeurons);
  for (int64_t n = 0; n < kNeurons; ++n) {
    std::vector<double> s(kInputs * 2, 0.0);
    double post = 0.0, now = 0.0;
    const auto decay = [&](double t) {
      const double f = std::exp((now - t) / tau);
      post *= f;
      for (int64_t j = 0; j < kInputs; ++j) s[static_cast<size_t>(j * 2)] *= f;
      now = t;
    };
    size_t k = 0;
    std::vector<float> own;
    for (size_t i = 0; i < a.times.size(); ++i)
      if (a.indices[i] == static_cast<uint32_t>(n)) own.push_back(a.times[i]);
    const auto spike = [&](double t) {
      decay(t);
      post += 1.0;
      for (int64_t j = 0; j < kInputs; ++j) s[static_cast<size_t>(j * 2 + 1)] += s[static_cast<size_t>(j * 2)];
    };
    for (size_t g = 0; g < in.times.size(); ++g) {
      while (k < own.size() && own[k] < in.times[g]) spike(own[k++]);
      decay(in.times[g]);
      s[in.indices[g] * 2] += 1.0;
      s[in.indices[g] * 2 + 1] -= post;
    }
    while (k < own.size()) spike(own[k++]);
    EXPECT_NEAR(neu[static_cast<size_t>(n)], post, 1e-4 * std::max(1.0, std::fabs(post))) << "neuron " << n;
    for (int64_t j = 0; j < kInputs * 2; ++j) {
      const double want = s[static_cast<size_t>(j)];
      EXPECT_NEAR(syn[static_cast<size_t>(n * kInputs * 2 + j)], want, 1e-4 * std::max(1.0, std::fabs(want)))
          << "neuron " << n << ", trace " << j;
    }
  }
}
