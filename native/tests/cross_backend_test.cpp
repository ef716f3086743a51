// CPU and CUDA agree, tensors move between them, and mixing devices in one call is refused.
// Every test needs a GPU; without one they skip (the only skips in this suite).
#include "reference.h"
#include "test_util.h"

using namespace snn_test;

class CrossBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_gpu()) GTEST_SKIP() << "CUDA backend is built but this machine has no usable GPU";
    cpu_ = open_device(SNN_DEVICE_CPU);
    gpu_ = open_device(SNN_DEVICE_CUDA);
    ASSERT_TRUE(cpu_ && gpu_);
  }
  Device cpu_, gpu_;
};

TEST_F(CrossBackend, UniformAndPoissonAreBitIdentical) {
  const int64_t T = 13, B = 3, N = 1001;
  Tensor uc = make_tensor(cpu_.get(), {T, B, N}), ug = make_tensor(gpu_.get(), {T, B, N});
  ASSERT_EQ(snn_random_uniform(uc.get(), 77, 1ull << 40), SNN_OK);
  ASSERT_EQ(snn_random_uniform(ug.get(), 77, 1ull << 40), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(read(uc.get()), read(ug.get())));

  const auto p = pseudo_random(static_cast<size_t>(B * N), 0, 1, 5);
  Tensor pc = make_tensor(cpu_.get(), {B, N}, p), pg = make_tensor(gpu_.get(), {B, N}, p);
  Tensor sc = make_tensor(cpu_.get(), {T, B, N}), sg = make_tensor(gpu_.get(), {T, B, N});
  ASSERT_EQ(snn_poisson_encode(pc.get(), 3, 4, sc.get()), SNN_OK);
  ASSERT_EQ(snn_poisson_encode(pg.get(), 3, 4, sg.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(read(sc.get()), read(sg.get())));
}

TEST_F(CrossBackend, LifIsBitIdentical) {
  const int64_t T = 50, B = 4, N = 777;
  const auto cur = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 8);
  const auto init = pseudo_random(static_cast<size_t>(B * N), 0, 1, 9);
  for (snn_reset_mode reset : {SNN_RESET_SUBTRACT, SNN_RESET_ZERO, SNN_RESET_NONE}) {
    snn_neuron_params params{};
    params.model = SNN_NEURON_LIF;
    params.spike_timing = SNN_SPIKE_AFTER_INPUT;
    params.reset_mode = reset;
    params.beta = 0.95f;
    params.threshold = 1.0f;
    std::vector<float> results[2][3];
    snn_device* devices[2] = {cpu_.get(), gpu_.get()};
    for (int k = 0; k < 2; ++k) {
      Tensor c = make_tensor(devices[k], {T, B, N}, cur), s = make_tensor(devices[k], {T, B, N});
      Tensor m = make_tensor(devices[k], {T, B, N}), v = make_tensor(devices[k], {B, N}, init);
      snn_neuron_state st{};
      st.membrane = v.get();
      snn_neuron_record rec{};
      rec.membrane = m.get();
      ASSERT_EQ(snn_neuron_forward(c.get(), &params, nullptr, &st, s.get(), &rec), SNN_OK) << last_error();
      results[k][0] = read(s.get());
      results[k][1] = read(m.get());
      results[k][2] = read(v.get());
    }
    for (int j = 0; j < 3; ++j) EXPECT_TRUE(bitwise_equal(results[0][j], results[1][j])) << "reset " << reset << " output " << j;
  }
}

TEST_F(CrossBackend, LinearAgreesWithinTolerance) {
  const int64_t M = 200, K = 300, N = 100;
  const auto x = pseudo_random(static_cast<size_t>(M * K), -1, 1, 1), w = pseudo_random(static_cast<size_t>(N * K), -1, 1, 2);
  const auto b = pseudo_random(static_cast<size_t>(N), -1, 1, 3);
  std::vector<float> out[2];
  snn_device* devices[2] = {cpu_.get(), gpu_.get()};
  for (int k = 0; k < 2; ++k) {
    Tensor xt = make_tensor(devices[k], {M, K}, x), wt = make_tensor(devices[k], {N, K}, w);
    Tensor bt = make_tensor(devices[k], {N}, b), yt = make_tensor(devices[k], {M, N});
    ASSERT_EQ(snn_linear_forward(xt.get(), wt.get(), bt.get(), yt.get()), SNN_OK) << last_error();
    out[k] = read(yt.get());
  }
  for (size_t i = 0; i < out[0].size(); ++i) ASSERT_NEAR(out[0][i], out[1][i], 1e-3) << i;
}

TEST_F(CrossBackend, CopiesBetweenDevices) {
  const auto v = pseudo_random(1000, -1, 1, 4);
  Tensor a = make_tensor(cpu_.get(), {1000}, v), g = make_tensor(gpu_.get(), {10, 100}), b = make_tensor(cpu_.get(), {1000});
  ASSERT_EQ(snn_tensor_copy(g.get(), a.get()), SNN_OK) << last_error();
  ASSERT_EQ(snn_tensor_copy(b.get(), g.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(v, read(b.get())));
}

TEST_F(CrossBackend, MixingDevicesInOneCallIsRefused) {
  Tensor pc = make_tensor(cpu_.get(), {2, 3}, std::vector<float>(6, 0.5f));
  Tensor sg = make_tensor(gpu_.get(), {4, 2, 3});
  ASSERT_EQ(snn_tensor_fill(sg.get(), kSentinel), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_DEVICE_MISMATCH, snn_poisson_encode(pc.get(), 0, 0, sg.get()),
               "intensities is on CPU:0 but spikes is on CUDA:0");
  for (float x : read(sg.get())) ASSERT_EQ(x, kSentinel);

  Tensor cur = make_tensor(gpu_.get(), {4, 2, 3}), spikes_cpu = make_tensor(cpu_.get(), {4, 2, 3});
  snn_neuron_params p{};
  p.model = SNN_NEURON_LIF;
  p.beta = 0.9f;
  p.threshold = 1.0f;
  EXPECT_FAILS(SNN_ERROR_DEVICE_MISMATCH, snn_neuron_forward(cur.get(), &p, nullptr, nullptr, spikes_cpu.get(), nullptr),
               "input is on CUDA:0 but output is on CPU:0");
  Tensor x = make_tensor(cpu_.get(), {2, 3}), w = make_tensor(gpu_.get(), {4, 3}), y = make_tensor(cpu_.get(), {2, 4});
  EXPECT_FAILS(SNN_ERROR_DEVICE_MISMATCH, snn_linear_forward(x.get(), w.get(), nullptr, y.get()), "weight is on CUDA:0");
}

// The event-driven layer registers no CUDA kernel yet: the dispatch answers with a typed error that
// says where it runs, when the network is created and before any work.
TEST_F(CrossBackend, EventDrivenLayerOnCudaIsATypedUnsupportedError) {
  snn_event_network* net = nullptr;
  EXPECT_FAILS(SNN_ERROR_UNSUPPORTED, snn_event_network_create(gpu_.get(), &net),
               "the event-driven fully connected layer has no CUDA kernel in this build", "run it on a CPU device");
  EXPECT_EQ(net, nullptr);
}

TEST_F(CrossBackend, TwoHandlesOnOneGpuShareIt) {
  Device second = open_device(SNN_DEVICE_CUDA);
  Tensor p = make_tensor(gpu_.get(), {1, 8}, std::vector<float>(8, 1.0f));
  Tensor s = make_tensor(second.get(), {2, 1, 8});
  ASSERT_EQ(snn_poisson_encode(p.get(), 0, 0, s.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(s.get()), std::vector<float>(16, 1.0f));
}

TEST_F(CrossBackend, GpuInfo) {
  snn_device_info info{};
  ASSERT_EQ(snn_device_get_info(gpu_.get(), &info), SNN_OK);
  EXPECT_EQ(info.kind, SNN_DEVICE_CUDA);
  EXPECT_GE(info.compute_capability, 70);
  EXPECT_GT(info.num_threads, 0);
  EXPECT_GT(info.total_memory_bytes, int64_t{1} << 30);
  EXPECT_GT(strnlen(info.name, SNN_DEVICE_NAME_CAPACITY), 0u);
  EXPECT_EQ(snn_device_set_num_threads(gpu_.get(), 4), SNN_OK);  // accepted and ignored
  EXPECT_EQ(snn_device_synchronize(gpu_.get()), SNN_OK);
}
