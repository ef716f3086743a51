// CPU results do not depend on the thread count, and concurrent callers are safe.
#include <cmath>
#include <thread>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {
struct Outputs {
  std::vector<float> uniform, poisson, lif_spikes, lif_membrane, lif_state, linear;
};

Outputs run_everything(int32_t threads) {
  Device d = open_device(SNN_DEVICE_CPU);
  EXPECT_EQ(snn_device_set_num_threads(d.get(), threads), SNN_OK);
  Outputs o;
  const int64_t T = 9, B = 4, N = 1500, K = 96;
  Tensor u = make_tensor(d.get(), {T, B, N});
  EXPECT_EQ(snn_random_uniform(u.get(), 5, 6), SNN_OK);
  o.uniform = read(u.get());

  Tensor p = make_tensor(d.get(), {B, N}, pseudo_random(static_cast<size_t>(B * N), 0, 1, 7));
  Tensor s = make_tensor(d.get(), {T, B, N});
  EXPECT_EQ(snn_poisson_encode(p.get(), 8, 9, s.get()), SNN_OK);
  o.poisson = read(s.get());

  Tensor cur = make_tensor(d.get(), {T, B, N}, pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 10));
  Tensor spikes = make_tensor(d.get(), {T, B, N}), mem = make_tensor(d.get(), {T, B, N});
  Tensor state = make_tensor(d.get(), {B, N}, pseudo_random(static_cast<size_t>(B * N), 0, 1, 11));
  EXPECT_EQ(lif_forward(cur.get(), 0.93f, 1.0f, SNN_RESET_SUBTRACT, state.get(), spikes.get(), mem.get()), SNN_OK);
  o.lif_spikes = read(spikes.get());
  o.lif_membrane = read(mem.get());
  o.lif_state = read(state.get());

  Tensor x = make_tensor(d.get(), {T * B, K}, pseudo_random(static_cast<size_t>(T * B * K), -1, 1, 12));
  Tensor w = make_tensor(d.get(), {300, K}, pseudo_random(static_cast<size_t>(300 * K), -1, 1, 13));
  Tensor y = make_tensor(d.get(), {T * B, 300});
  EXPECT_EQ(snn_linear_forward(x.get(), w.get(), nullptr, y.get()), SNN_OK);
  o.linear = read(y.get());
  return o;
}
}  // namespace

// snn's own kernels (uniform, Poisson, LIF) are bit-identical for every thread count.
// Linear is OpenBLAS's sgemm, whose partitioning across threads changes the last bits
// (its per-thread tiles take different kernel paths), so across thread counts it is held
// to a tight tolerance, and bit-identical repeatability is required at a fixed count.
TEST(Threads, ResultsAreIdenticalForAnyThreadCount) {
  const Outputs one = run_everything(1);
  for (int32_t threads : {2, 3, 5, 8, 0}) {
    SCOPED_TRACE(::testing::Message() << threads << " threads");
    const Outputs many = run_everything(threads);
    EXPECT_TRUE(bitwise_equal(one.uniform, many.uniform));
    EXPECT_TRUE(bitwise_equal(one.poisson, many.poisson));
    EXPECT_TRUE(bitwise_equal(one.lif_spikes, many.lif_spikes));
    EXPECT_TRUE(bitwise_equal(one.lif_membrane, many.lif_membrane));
    EXPECT_TRUE(bitwise_equal(one.lif_state, many.lif_state));
    ASSERT_EQ(one.linear.size(), many.linear.size());
    for (size_t i = 0; i < one.linear.size(); ++i) {
      ASSERT_NEAR(one.linear[i], many.linear[i], 1e-5f * (1.0f + std::fabs(one.linear[i]))) << i;
    }
    EXPECT_TRUE(bitwise_equal(many.linear, run_everything(threads).linear)) << "linear must repeat exactly";
  }
}

TEST(Threads, ConcurrentCallersOnOneDevice) {
  Device d = open_device(SNN_DEVICE_CPU);
  const int64_t T = 30, B = 2, N = 300;
  const auto cur = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 21);
  const LifResult ref = reference_lif(cur, T, B, N, 0.9f, 1.0f, SNN_RESET_ZERO, nullptr);
  std::vector<std::thread> workers;
  std::vector<int> ok(4, 0);
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      Tensor c = make_tensor(d.get(), {T, B, N}, cur);
      Tensor s = make_tensor(d.get(), {T, B, N});
      bool good = true;
      for (int rep = 0; rep < 10; ++rep) {
        good = good && lif_forward(c.get(), 0.9f, 1.0f, SNN_RESET_ZERO, nullptr, s.get(), nullptr) == SNN_OK;
        good = good && read(s.get()) == ref.spikes;
      }
      ok[w] = good;
    });
  }
  for (auto& t : workers) t.join();
  for (int w = 0; w < 4; ++w) EXPECT_TRUE(ok[w]) << "worker " << w;
}
