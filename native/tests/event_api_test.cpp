// The event-driven C ABI's boundary: every bad argument is a typed status with a message that
// says what to do, outputs and earlier results stay untouched, and the weight initializers
// draw exactly the documented values from the Philox stream.
#include <cmath>
#include <limits>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

struct NetworkRelease {
  void operator()(snn_event_network* n) const { snn_event_network_release(n); }
};
using Network = std::unique_ptr<snn_event_network, NetworkRelease>;

class EventApi : public CpuTest {
 protected:
  void SetUp() override {
    CpuTest::SetUp();
    snn_event_network* raw = nullptr;
    ASSERT_EQ(snn_event_network_create(device(), &raw), SNN_OK) << last_error();
    net_.reset(raw);
  }

  // Adds a layer with weights of `shape` (default: the layer's own) and returns the status.
  snn_status add(int64_t n_inputs, int64_t n_neurons, float tau_s = 0.01f, float threshold = 0.5f,
                 int64_t buffer_size = 64, std::vector<int64_t> shape = {}) {
    if (shape.empty()) shape = {n_neurons, n_inputs};
    Tensor w = filled(shape, 1.0f);
    const snn_event_fc_params p{n_inputs, n_neurons, tau_s, threshold, buffer_size};
    int64_t index = -1;
    return snn_event_network_add_fc_layer(net_.get(), &p, w.get(), &index);
  }

  int64_t layers() const {
    int64_t n = -1;
    EXPECT_EQ(snn_event_network_layer_count(net_.get(), &n), SNN_OK);
    return n;
  }

  Network net_;
};

}  // namespace

TEST_F(EventApi, LayerParametersAreValidated) {
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(0, 4), "n_inputs must be in [1, ", "got 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, -1, 0.01f, 0.5f, 64, {4, 4}), "n_neurons must be in [1, ", "got -1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 0.0f), "tau_s must be finite and > 0", "seconds");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, -0.01f), "tau_s must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, kNaN), "tau_s must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 3e38f), "2 * tau_s finite");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 0.01f, kNaN), "threshold must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 0.01f, -1.0f), "threshold must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 0.01f, kInf), "threshold must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 4, 0.01f, 0.5f, 0), "buffer_size must be >= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 3, 0.01f, 0.5f, 64, {4, 3}), "weights [4, 3] does not match",
               "[n_neurons, n_inputs] = [3, 4]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(4, 3, 0.01f, 0.5f, 64, {12}), "weights must have rank 2");
  EXPECT_EQ(layers(), 0);

  Tensor ints = tensor({3, 4}, SNN_DTYPE_INT32);
  const snn_event_fc_params p{4, 3, 0.01f, 0.5f, 64};
  int64_t index = -7;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_add_fc_layer(net_.get(), &p, ints.get(), &index),
               "weights must be float32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_add_fc_layer(net_.get(), nullptr, ints.get(), &index),
               "params is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_add_fc_layer(net_.get(), &p, nullptr, &index),
               "weights is NULL");
  Tensor w = filled({3, 4}, 1.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_add_fc_layer(net_.get(), &p, w.get(), nullptr),
               "out_index is NULL");
  EXPECT_EQ(index, -7) << "outputs are untouched on error";
}

TEST_F(EventApi, MismatchedLayerSizesAreRejected) {
  ASSERT_EQ(add(10, 6), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, add(7, 3), "layer 1 would have n_inputs = 7 but layer 0 has 6 neurons",
               "must be the n_neurons of the layer before it");
  EXPECT_EQ(layers(), 1);
  EXPECT_EQ(add(6, 3), SNN_OK);
  EXPECT_EQ(layers(), 2);
}

TEST_F(EventApi, HandlesAreChecked) {
  int64_t n = 0;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_layer_count(nullptr, &n), "network is NULL");
  Tensor t = filled({2}, 0.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_event_network_layer_count(reinterpret_cast<const snn_event_network*>(t.get()), &n),
               "not a live snn_event_network handle");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_create(nullptr, nullptr), "device is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_create(device(), nullptr), "out_network is NULL");
  snn_event_network_release(nullptr);  // accepted, like every release
}

TEST_F(EventApi, BadInputSpikesAreRejectedAndEarlierResultsStay) {
  ASSERT_EQ(add(5, 30, 0.01f, 0.2f), SNN_OK);
  const int64_t offsets[2] = {0, 4};
  const uint32_t good_indices[4] = {0, 1, 4, 2};
  const float good_times[4] = {0.0f, 0.01f, 0.01f, 0.03f};
  ASSERT_EQ(snn_event_network_infer(net_.get(), 1, offsets, good_indices, good_times), SNN_OK) << last_error();
  int64_t before = -1;
  ASSERT_EQ(snn_event_network_spike_count(net_.get(), 0, 0, &before), SNN_OK);
  ASSERT_GT(before, 0);

  const uint32_t bad_index[4] = {0, 5, 1, 2};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, bad_index, good_times),
               "sample 0, spike 1 has index 5 but the first layer has 5 inputs", "[0, 5)");
  const float unsorted[4] = {0.0f, 0.02f, 0.01f, 0.03f};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, good_indices, unsorted),
               "sample 0 is not sorted by time: spike 2 at", "comes after spike 1 at",
               "sort each sample's spikes by time first");
  const float negative[4] = {-0.5f, 0.01f, 0.01f, 0.03f};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, good_indices, negative),
               "spike 0 has time -0.5", "finite and >= 0");
  const float nan[4] = {0.0f, kNaN, 0.01f, 0.03f};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, good_indices, nan),
               "spike 1 has time nan");
  const float inf[4] = {0.0f, 0.01f, 0.02f, kInf};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, good_indices, inf),
               "spike 3 has time inf");
  const int64_t decreasing[3] = {0, 3, 2};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 2, decreasing, good_indices, good_times),
               "offsets must not decrease");
  const int64_t shifted[2] = {1, 4};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, shifted, good_indices, good_times),
               "offsets[0] must be 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), -1, offsets, good_indices, good_times),
               "batch must be >= 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, nullptr, good_times),
               "indices is NULL");

  int64_t after = -1, batch = -1;
  ASSERT_EQ(snn_event_network_spike_count(net_.get(), 0, 0, &after), SNN_OK);
  EXPECT_EQ(after, before) << "a failing inference keeps the previous results";
  EXPECT_EQ(snn_event_network_batch_size(net_.get(), &batch), SNN_OK);
  EXPECT_EQ(batch, 1);
}

TEST_F(EventApi, ResultAccessorsCheckLayerSampleAndCount) {
  int64_t n = -3;
  const int64_t offsets[2] = {0, 0};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_infer(net_.get(), 1, offsets, nullptr, nullptr),
               "the network has no layer", "snn_event_network_add_fc_layer");
  ASSERT_EQ(add(3, 4, 0.01f, 0.2f), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_spike_count(net_.get(), 0, 0, &n),
               "the last inference ran no sample", "call snn_event_network_infer first");
  const uint32_t indices[2] = {0, 2};
  const float times[2] = {0.001f, 0.002f};
  const int64_t two[2] = {0, 2};
  ASSERT_EQ(snn_event_network_infer(net_.get(), 1, two, indices, times), SNN_OK) << last_error();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_spike_count(net_.get(), 1, 0, &n),
               "layer 1 does not exist; the network has 1 layers");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_spike_count(net_.get(), 0, 1, &n),
               "sample 1 does not exist; the last inference ran 1 samples");
  EXPECT_EQ(n, -3);
  ASSERT_EQ(snn_event_network_spike_count(net_.get(), 0, 0, &n), SNN_OK);
  ASSERT_GT(n, 0);
  std::vector<uint32_t> idx(static_cast<size_t>(n) + 1, 77);
  std::vector<float> tim(static_cast<size_t>(n) + 1, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_spikes(net_.get(), 0, 0, idx.data(), tim.data(), n + 1),
               "pass buffers of snn_event_network_spike_count entries");
  EXPECT_EQ(idx[0], 77u);
  EXPECT_EQ(tim[0], kSentinel);
  std::vector<uint32_t> counts(5, 9);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_event_network_neuron_spike_counts(net_.get(), 0, 0, counts.data(), 5),
               "layer 0 has 4 neurons");
  EXPECT_EQ(counts[0], 9u);
  // Adding a layer clears the results: they would not describe the new network.
  ASSERT_EQ(add(4, 2), SNN_OK);
  EXPECT_EQ(snn_event_network_batch_size(net_.get(), &n), SNN_OK);
  EXPECT_EQ(n, 0);
}

