// snn_poisson_encode against the header's definition, its statistics and its error paths.
#include <cmath>
#include <limits>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

class Poisson : public BackendTest {};

TEST_P(Poisson, MatchesTheReferenceLoopBitForBit) {
  const int64_t T = 11, B = 3, N = 701;  // B*N = 2103: rows straddle CPU chunks and Philox blocks
  std::vector<float> p = pseudo_random(static_cast<size_t>(B * N), 0, 1, 3);
  p[0] = 0.0f;
  p[1] = 1.0f;
  p[2] = std::nextafter(1.0f, 0.0f);
  const uint64_t seed = 0xdeadbeefcafef00dull, offset = 12345678901ull;
  Tensor intensities = tensor({B, N}, p);
  Tensor spikes = tensor({T, B, N});
  ASSERT_EQ(snn_poisson_encode(intensities.get(), seed, offset, spikes.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(reference_poisson(p, T, B, N, seed, offset), read(spikes.get())));
}

TEST_P(Poisson, RatesMatchTheIntensities) {
  const std::vector<float> p = {0.0f, 0.02f, 0.3f, 0.5f, 0.9f, 1.0f};
  const int64_t T = 20000, N = static_cast<int64_t>(p.size());
  Tensor intensities = tensor({1, N}, p);
  Tensor spikes = tensor({T, 1, N});
  ASSERT_EQ(snn_poisson_encode(intensities.get(), 2024, 0, spikes.get()), SNN_OK) << last_error();
  const std::vector<float> s = read(spikes.get());
  for (int64_t n = 0; n < N; ++n) {
    double count = 0;
    for (int64_t t = 0; t < T; ++t) count += s[t * N + n];
    const double rate = count / T, sigma = std::sqrt(p[n] * (1 - p[n]) / T);
    EXPECT_NEAR(rate, p[n], 5 * sigma + 1e-12) << "neuron " << n;
  }
}

TEST_P(Poisson, SeedAndOffsetSelectIndependentStreams) {
  Tensor intensities = filled({2, 50}, 0.5f);
  Tensor a = tensor({4, 2, 50}), b = tensor({4, 2, 50}), c = tensor({4, 2, 50});
  ASSERT_EQ(snn_poisson_encode(intensities.get(), 1, 0, a.get()), SNN_OK);
  ASSERT_EQ(snn_poisson_encode(intensities.get(), 1, 1, b.get()), SNN_OK);
  ASSERT_EQ(snn_poisson_encode(intensities.get(), 1, 0, c.get()), SNN_OK);
  EXPECT_NE(read(a.get()), read(b.get()));
  EXPECT_EQ(read(a.get()), read(c.get()));
}

TEST_P(Poisson, InvalidIntensitiesAreRejectedBeforeAnySpikeIsWritten) {
  const int64_t B = 2, N = 3000;
  Tensor spikes = filled({3, B, N}, kSentinel);
  struct Case {
    float value;
    const char* text;
  } cases[] = {{std::nanf(""), "is nan"}, {1.5f, "is 1.5"}, {-0.25f, "is -0.25"},
               {std::numeric_limits<float>::infinity(), "is inf"}};
  for (const Case& c : cases) {
    std::vector<float> p(static_cast<size_t>(B * N), 0.5f);
    p[static_cast<size_t>(N + 2999)] = c.value;  // the very last element: [1, 2999]
    p[static_cast<size_t>(N + 2998)] = 0.2f;
    Tensor intensities = tensor({B, N}, p);
    EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(intensities.get(), 1, 2, spikes.get()),
                 "snn_poisson_encode: intensities[1, 2999]", c.text, "must lie in [0, 1]");
    EXPECT_TRUE(untouched(spikes.get()));
  }
  // The first offending element is the one reported.
  std::vector<float> p(static_cast<size_t>(B * N), 0.5f);
  p[7] = 2.0f;
  p[4000] = -1.0f;
  Tensor intensities = tensor({B, N}, p);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(intensities.get(), 1, 2, spikes.get()),
               "intensities[0, 7] is 2");
  EXPECT_TRUE(untouched(spikes.get()));
}

TEST_P(Poisson, ShapeDtypeAndNullErrors) {
  Tensor p = filled({2, 5}, 0.5f);
  Tensor spikes = filled({4, 2, 5}, kSentinel);
  Tensor p_int = tensor({2, 5}, SNN_DTYPE_INT32);
  Tensor spikes_f64 = tensor({4, 2, 5}, SNN_DTYPE_FLOAT64);
  Tensor p_rank1 = filled({10}, 0.5f);
  Tensor wrong_n = filled({4, 2, 6}, kSentinel);
  Tensor no_steps = tensor({0, 2, 5});
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(nullptr, 0, 0, spikes.get()), "intensities is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p.get(), 0, 0, nullptr), "spikes is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p_int.get(), 0, 0, spikes.get()),
               "intensities must be float32, got int32 [2, 5]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p.get(), 0, 0, spikes_f64.get()), "spikes must be float32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p_rank1.get(), 0, 0, spikes.get()),
               "intensities must have rank 2 [B, N]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p.get(), 0, 0, p.get()), "spikes must have rank 3");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p.get(), 0, 0, wrong_n.get()),
               "spikes must be [T, 2, 5]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p.get(), 0, 0, no_steps.get()), "T = 0", "T >= 1");
  EXPECT_TRUE(untouched(spikes.get()));
  EXPECT_TRUE(untouched(wrong_n.get()));
}

// Partial overlap needs views, which exist on CPU devices only.
class PoissonCpu : public CpuTest {};

TEST_F(PoissonCpu, OverlappingOutputIsRejected) {
  alignas(8) float buffer[2 * 2 * 3] = {};
  for (float& x : buffer) x = 0.5f;
  const int64_t pshape[2] = {2, 3}, sshape[3] = {2, 2, 3};
  snn_tensor *p = nullptr, *s = nullptr;
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, pshape, buffer + 6, 24, &p), SNN_OK);
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 3, sshape, buffer, sizeof buffer, &s), SNN_OK);
  Tensor pv(p), sv(s);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_poisson_encode(p, 0, 0, s), "intensities and spikes share memory");
  for (float x : buffer) EXPECT_EQ(x, 0.5f);
}

SNN_INSTANTIATE_BACKENDS(Poisson);
