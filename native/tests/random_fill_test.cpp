// snn_random_fill against the definitions of snn/random.h, computed here element by element from
// the Philox stream (reference_uniform, itself checked against Random123's known answers), and the
// sample moments of each distribution; then its error paths.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {

// z(j) of the normal stream: the pair (2k, 2k + 1) by Box-Muller in double.
double reference_normal(uint64_t j, uint64_t seed, uint64_t offset) {
  const uint64_t k = j / 2 * 2;
  const double u0 = reference_uniform(k, seed, offset), u1 = reference_uniform(k + 1, seed, offset);
  const double r = std::sqrt(-2.0 * std::log(1.0 - u0));
  const double angle = 2.0 * 3.14159265358979323846 * u1;
  return j % 2 == 0 ? r * std::cos(angle) : r * std::sin(angle);
}

snn_distribution dist(int32_t kind, double a, double b, double bound = 0) {
  snn_distribution d{};
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.bound = bound;
  return d;
}

struct Moments {
  double mean = 0, variance = 0, min = 1e300, max = -1e300;
};

Moments moments(const std::vector<float>& v) {
  Moments m;
  for (float x : v) {
    m.mean += x;
    m.min = std::min(m.min, static_cast<double>(x));
    m.max = std::max(m.max, static_cast<double>(x));
  }
  m.mean /= static_cast<double>(v.size());
  for (float x : v) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= static_cast<double>(v.size() - 1);
  return m;
}

}  // namespace

class RandomFill : public BackendTest {
 protected:
  std::vector<float> draw(const snn_distribution& d, int64_t n, uint64_t seed, uint64_t offset) {
    Tensor t = filled({n}, kSentinel);
    EXPECT_EQ(snn_random_fill(t.get(), &d, seed, offset), SNN_OK) << last_error();
    return read(t.get());
  }
};

// 5003 elements: several CPU chunks, an odd tail whose normal pair is cut; 64-bit seed and offset.
TEST_P(RandomFill, EveryElementIsItsDefinition) {
  const int64_t n = 5003;
  const uint64_t seed = 0x123456789abcdefull, offset = (7ull << 32) | 3;
  const std::vector<float> c = draw(dist(SNN_DISTRIBUTION_CONSTANT, -0.25, 99), n, seed, offset);
  const std::vector<float> u = draw(dist(SNN_DISTRIBUTION_UNIFORM, -0.3, 1.7), n, seed, offset);
  const std::vector<float> z = draw(dist(SNN_DISTRIBUTION_NORMAL, 0.5, 0.125), n, seed, offset);
  for (int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<uint64_t>(i);
    ASSERT_EQ(c[i], -0.25f) << i;
    ASSERT_EQ(u[i], static_cast<float>(-0.3 + 2.0 * reference_uniform(k, seed, offset))) << i;
    ASSERT_EQ(z[i], static_cast<float>(0.5 + 0.125 * reference_normal(k, seed, offset))) << i;
  }
}

TEST_P(RandomFill, TruncatedNormalKeepsTheDrawsInsideTheBoundInOrder) {
  const int64_t n = 3000;
  const double bound = 1.5;
  const std::vector<float> t = draw(dist(SNN_DISTRIBUTION_TRUNCATED_NORMAL, 0.5, 0.25, bound), n, 5, 2);
  uint64_t j = 0;
  int64_t rejected = 0;
  for (int64_t i = 0; i < n; ++i) {
    double zj = reference_normal(j++, 5, 2);
    while (std::fabs(zj) > bound) {
      zj = reference_normal(j++, 5, 2);
      ++rejected;
    }
    ASSERT_EQ(t[i], static_cast<float>(0.5 + 0.25 * zj)) << i;
  }
  EXPECT_GT(rejected, 300);  // P(|z| > 1.5) = 0.134: the rejection path ran
}

TEST_P(RandomFill, SampleMomentsMatchTheDistributions) {
  const int64_t n = 200000;  // standard errors: mean ~ sd / 447, variance ~ var * 0.0032
  const Moments u = moments(draw(dist(SNN_DISTRIBUTION_UNIFORM, -1.0, 3.0), n, 11, 0));
  EXPECT_NEAR(u.mean, 1.0, 0.02);
  EXPECT_NEAR(u.variance, 16.0 / 12.0, 0.02);
  EXPECT_GE(u.min, -1.0);
  EXPECT_LT(u.max, 3.0);
  const Moments z = moments(draw(dist(SNN_DISTRIBUTION_NORMAL, 2.0, 0.5), n, 12, 0));
  EXPECT_NEAR(z.mean, 2.0, 0.005);
  EXPECT_NEAR(z.variance, 0.25, 0.005);
  // Truncated at 2 sd: variance factor 1 - 2 * 2 phi(2) / (2 Phi(2) - 1) = 0.773741.
  const Moments t = moments(draw(dist(SNN_DISTRIBUTION_TRUNCATED_NORMAL, -1.0, 2.0, 2.0), n, 13, 0));
  EXPECT_NEAR(t.mean, -1.0, 0.015);
  EXPECT_NEAR(t.variance, 4.0 * 0.773741, 0.05);
  EXPECT_GE(t.min, -5.0);
  EXPECT_LE(t.max, 3.0);
}

TEST_P(RandomFill, ResultsDoNotDependOnTheSizeOfTheDraw) {
  // Element i is a function of i: a longer draw extends a shorter one (truncated normal too).
  for (int32_t kind : {SNN_DISTRIBUTION_UNIFORM, SNN_DISTRIBUTION_NORMAL, SNN_DISTRIBUTION_TRUNCATED_NORMAL}) {
    const snn_distribution d = dist(kind, 0.0, 1.0, 2.0);
    const std::vector<float> shorter = draw(d, 2049, 3, 4), longer = draw(d, 6000, 3, 4);
    EXPECT_TRUE(bitwise_equal(shorter, std::vector<float>(longer.begin(), longer.begin() + 2049))) << kind;
  }
}

// The rescaling options (normalize, shift_by_max) against their definition, computed here in double
// from the plain float32 draws: normalised to a sum, shifted by a multiple of the maximum, or both.
TEST_P(RandomFill, RescalingFollowsItsDefinition) {
  const int64_t n = 3001;
  const uint64_t seed = 17, offset = 0;
  for (const int32_t kind : {SNN_DISTRIBUTION_UNIFORM, SNN_DISTRIBUTION_NORMAL}) {
    const snn_distribution plain = kind == SNN_DISTRIBUTION_UNIFORM ? dist(kind, 0.0, 1.0) : dist(kind, 0.1, 0.5);
    const std::vector<float> v = draw(plain, n, seed, offset);
    for (const bool normalize : {false, true}) {
      for (const double shift : {0.0, 0.5, -2.0}) {
        if (!normalize && shift == 0.0) continue;
        snn_distribution d = plain;
        d.normalize = normalize ? 1 : 0;
        d.normalize_to = 2.5;
        d.shift_by_max = shift;
        const std::vector<float> got = draw(d, n, seed, offset);
        std::vector<double> want(v.begin(), v.end());
        if (normalize) {
          double sum = 0;
          for (const double x : want) sum += x;
          for (double& x : want) x = x / sum * 2.5;
        }
        const double top = *std::max_element(want.begin(), want.end());
        for (double& x : want) x += top * shift;
        for (int64_t i = 0; i < n; ++i) ASSERT_EQ(got[i], static_cast<float>(want[static_cast<size_t>(i)])) << i;
      }
    }
  }
  // Draws that sum to 0 cannot be normalised: an error, the output untouched.
  Tensor t = filled({8}, kSentinel);
  snn_distribution zero = dist(SNN_DISTRIBUTION_CONSTANT, 0.0, 0.0);
  zero.normalize = 1;
  zero.normalize_to = 1.0;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_fill(t.get(), &zero, 1, 0), "the draws sum to 0");
  snn_distribution flag = dist(SNN_DISTRIBUTION_UNIFORM, 0, 1);
  flag.normalize = 2;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_fill(t.get(), &flag, 1, 0), "distribution->normalize 2 must be 0 or 1");
  snn_distribution shift = dist(SNN_DISTRIBUTION_UNIFORM, 0, 1);
  shift.shift_by_max = std::numeric_limits<double>::infinity();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_fill(t.get(), &shift, 1, 0), "->shift_by_max (inf) must be finite");
  EXPECT_TRUE(untouched(t.get()));
}

TEST_P(RandomFill, BadArgumentsAreRejectedWithTheOutputUntouched) {
  Tensor t = filled({4}, kSentinel);
  Tensor ints = tensor({4}, SNN_DTYPE_INT32);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto fill = [&](snn_distribution d) { return snn_random_fill(t.get(), &d, 1, 0); };
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(4, 0, 1)), "distribution->kind 4 is unknown");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(-1, 0, 1)), "distribution->kind -1 is unknown");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(SNN_DISTRIBUTION_UNIFORM, 2, 1)), "uniform bounds a = 2 > b = 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(SNN_DISTRIBUTION_UNIFORM, nan, 1)), "must be finite");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(SNN_DISTRIBUTION_CONSTANT, nan, 0)), "must be finite");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(SNN_DISTRIBUTION_NORMAL, 0, -1)), "standard deviation b = -1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, fill(dist(SNN_DISTRIBUTION_TRUNCATED_NORMAL, 0, 1, 0)),
               "truncated normal bound 0 must be finite and > 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_fill(t.get(), nullptr, 1, 0), "distribution is NULL");
  const snn_distribution d = dist(SNN_DISTRIBUTION_UNIFORM, 0, 1);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_fill(ints.get(), &d, 1, 0), "output must be float32");
  EXPECT_TRUE(untouched(t.get()));
}

SNN_INSTANTIATE_BACKENDS(RandomFill);
