// snn_conv2d_forward, the three poolings and snn_delay_line against naive loops written from
// the definitions in snn/connection.h (double accumulation), and their error paths.
#include <cmath>
#include <cstdlib>
#include <array>
#include <functional>
#include <limits>

#include "test_util.h"

using namespace snn_test;

namespace {

struct Geometry {
  int64_t n, c_in, h, w, c_out, kh, kw, sh, sw, ph, pw, dh, dw, groups;
  int64_t ho() const { return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1; }
  int64_t wo() const { return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1; }
};

// The convolution from its definition: bias, then x * w over the taps in (c, i, j) order. With
// Acc = double, the rounding-free reference; with Acc = float and skip_zeros, the ordered float32
// sum the event-driven CPU path must reproduce bit for bit.
template <class Acc>
std::vector<float> reference_conv(const Geometry& g, const std::vector<float>& x, const std::vector<float>& wt,
                                  const std::vector<float>* bias, bool skip_zeros = false) {
  const int64_t ho = g.ho(), wo = g.wo(), cin_g = g.c_in / g.groups, cout_g = g.c_out / g.groups;
  std::vector<float> out(static_cast<size_t>(g.n * g.c_out * ho * wo));
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.c_out; ++o)
      for (int64_t y = 0; y < ho; ++y)
        for (int64_t xx = 0; xx < wo; ++xx) {
          Acc acc = bias ? static_cast<Acc>((*bias)[o]) : Acc(0);
          for (int64_t c = 0; c < cin_g; ++c)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t iy = y * g.sh - g.ph + i * g.dh, ix = xx * g.sw - g.pw + j * g.dw;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                const float v = x[((n * g.c_in + (o / cout_g) * cin_g + c) * g.h + iy) * g.w + ix];
                if (skip_zeros && v == 0.0f) continue;
                const volatile Acc w = wt[((o * cin_g + c) * g.kh + i) * g.kw + j];  // no FMA contraction
                acc = acc + static_cast<Acc>(w * static_cast<Acc>(v));
              }
          out[((n * g.c_out + o) * ho + y) * wo + xx] = static_cast<float>(acc);
        }
  return out;
}

std::vector<float> naive_conv(const Geometry& g, const std::vector<float>& x, const std::vector<float>& wt,
                              const std::vector<float>* bias) {
  return reference_conv<double>(g, x, wt, bias);
}

::testing::AssertionResult close(const std::vector<float>& expected, const std::vector<float>& actual, double tol) {
  if (expected.size() != actual.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!(std::fabs(expected[i] - actual[i]) <= tol * (1 + std::fabs(expected[i])))) {
      return ::testing::AssertionFailure() << "element " << i << ": expected " << expected[i] << " got " << actual[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Binary spikes with density p (LCG), so max-pool windows have ties.
std::vector<float> spikes(size_t n, double p, uint64_t seed) {
  auto u = pseudo_random(n, 0, 1, seed);
  for (auto& v : u) v = v < p ? 1.0f : 0.0f;
  return u;
}

}  // namespace

class Conv2d : public BackendTest {
 protected:
  void check(const Geometry& g, bool with_bias, uint64_t seed) {
    const auto x = pseudo_random(static_cast<size_t>(g.n * g.c_in * g.h * g.w), -1, 1, seed);
    const auto w = pseudo_random(static_cast<size_t>(g.c_out * (g.c_in / g.groups) * g.kh * g.kw), -0.5f, 0.5f, seed + 1);
    const auto b = pseudo_random(static_cast<size_t>(g.c_out), -1, 1, seed + 2);
    Tensor input = tensor({g.n, g.c_in, g.h, g.w}, x), weight = tensor({g.c_out, g.c_in / g.groups, g.kh, g.kw}, w);
    Tensor bias = tensor({g.c_out}, b), output = tensor({g.n, g.c_out, g.ho(), g.wo()});
    const int64_t stride[2] = {g.sh, g.sw}, padding[2] = {g.ph, g.pw}, dilation[2] = {g.dh, g.dw};
    ASSERT_EQ(snn_conv2d_forward(input.get(), weight.get(), with_bias ? bias.get() : nullptr, stride, padding, dilation,
                                 g.groups, output.get()),
              SNN_OK)
        << last_error();
    EXPECT_TRUE(close(naive_conv(g, x, w, with_bias ? &b : nullptr), read(output.get()), 1e-5));
  }
};

TEST_P(Conv2d, MatchesTheNaiveLoopPlain) { check({3, 2, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1}, true, 1); }
TEST_P(Conv2d, MatchesTheNaiveLoopStridePaddingDilation) {
  check({2, 3, 11, 9, 5, 3, 2, 2, 3, 1, 2, 2, 1, 1}, true, 4);
  check({2, 3, 8, 8, 2, 2, 3, 1, 2, 2, 0, 1, 3, 1}, false, 7);
}
TEST_P(Conv2d, MatchesTheNaiveLoopWithGroups) { check({2, 4, 6, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2}, true, 10); }
// More than 32 taps per output: the im2col + GEMM path (fewer take the direct loop).
TEST_P(Conv2d, ManyTapsMatchTheNaiveLoop) {
  check({2, 8, 7, 6, 5, 3, 3, 2, 1, 1, 2, 1, 2, 1}, true, 15);
  check({3, 16, 6, 5, 8, 3, 3, 1, 2, 1, 1, 2, 1, 2}, true, 16);
  check({2, 3, 12, 11, 4, 5, 5, 2, 2, 2, 2, 1, 1, 1}, false, 17);
}
TEST_P(Conv2d, ManyImagesSpanSeveralChunks) {
  check({700, 1, 28, 28, 16, 3, 3, 1, 1, 0, 0, 1, 1, 1}, true, 13);
  check({90, 8, 40, 40, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1}, true, 14);  // im2col in two chunks
}
TEST_P(Conv2d, StridedDirectLoop) { check({5, 2, 13, 12, 3, 3, 3, 3, 2, 1, 2, 2, 1, 1}, true, 18); }

TEST_P(Conv2d, LeadingAxesAreImages) {
  const Geometry g{6, 1, 5, 5, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1};
  const auto x = pseudo_random(150, -1, 1, 20), w = pseudo_random(18, -1, 1, 21);
  Tensor input = tensor({2, 3, 1, 5, 5}, x), weight = tensor({2, 1, 3, 3}, w), output = tensor({2, 3, 2, 5, 5});
  const int64_t one[2] = {1, 1};
  ASSERT_EQ(snn_conv2d_forward(input.get(), weight.get(), nullptr, one, one, one, 1, output.get()), SNN_OK) << last_error();
  EXPECT_TRUE(close(naive_conv(g, x, w, nullptr), read(output.get()), 1e-5));
}

TEST_P(Conv2d, RejectsBadGeometryAndLeavesTheOutput) {
  Tensor input = tensor({1, 1, 4, 4}), weight = tensor({1, 1, 5, 5}), output = filled({1, 1, 1, 1}, kSentinel);
  const int64_t one[2] = {1, 1}, zero[2] = {0, 0}, bad[2] = {0, 1};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_conv2d_forward(input.get(), weight.get(), nullptr, one, zero, one, 1, output.get()),
               "must not be larger than the padded input");
  EXPECT_TRUE(untouched(output.get()));
  Tensor w3 = tensor({1, 1, 3, 3}), out2 = filled({1, 1, 2, 2}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_conv2d_forward(input.get(), w3.get(), nullptr, bad, zero, one, 1, out2.get()),
               "stride", ">= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_conv2d_forward(input.get(), w3.get(), nullptr, one, zero, one, 2, out2.get()),
               "groups");
  Tensor out_wrong = filled({1, 1, 3, 3}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_conv2d_forward(input.get(), w3.get(), nullptr, one, zero, one, 1, out_wrong.get()), "[1, 1, 2, 2]");
  EXPECT_TRUE(untouched(out2.get()));
  EXPECT_TRUE(untouched(out_wrong.get()));
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_conv2d_forward(input.get(), w3.get(), nullptr, nullptr, zero, one, 1, out2.get()),
               "stride is NULL");
}

SNN_INSTANTIATE_BACKENDS(Conv2d);

// The CPU's event-driven convolution (spike maps, at most half non-zero): each output must be the
// float32 sum written in snn/connection.h's order, bias first, then x * w over the non-zero inputs
// in ascending (c, i, j), each operation rounded separately: the same bits, at any thread count.
namespace {

std::vector<float> ordered_sparse_conv(const Geometry& g, const std::vector<float>& x, const std::vector<float>& wt,
                                       const std::vector<float>* bias) {
  return reference_conv<float>(g, x, wt, bias, true);
}

std::vector<float> cpu_conv(const Geometry& g, const std::vector<float>& x, const std::vector<float>& w,
                            const std::vector<float>* b, int32_t threads) {
  Device d = open_device(SNN_DEVICE_CPU);
  EXPECT_EQ(snn_device_set_num_threads(d.get(), threads), SNN_OK) << last_error();
  Tensor input = make_tensor(d.get(), {g.n, g.c_in, g.h, g.w}, x);
  Tensor weight = make_tensor(d.get(), {g.c_out, g.c_in / g.groups, g.kh, g.kw}, w);
  Tensor bias = b != nullptr ? make_tensor(d.get(), {g.c_out}, *b) : Tensor();
  Tensor output = make_tensor(d.get(), {g.n, g.c_out, g.ho(), g.wo()});
  const int64_t stride[2] = {g.sh, g.sw}, padding[2] = {g.ph, g.pw}, dilation[2] = {g.dh, g.dw};
  EXPECT_EQ(snn_conv2d_forward(input.get(), weight.get(), bias.get(), stride, padding, dilation, g.groups, output.get()),
            SNN_OK)
      << last_error();
  return read(output.get());
}

// SNN_CONV_PATH for one scope.
struct ConvPath : ScopedEnv {
  explicit ConvPath(const char* path) : ScopedEnv("SNN_CONV_PATH", path) {}
};

const Geometry kEventGeometries[] = {
    {40, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1},  // the benchmark's second layer
    {30, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1},   // and its first
    {6, 3, 11, 9, 5, 3, 2, 2, 3, 1, 2, 2, 1, 1},      // stride, padding, dilation
    {6, 4, 9, 8, 6, 3, 3, 1, 2, 2, 1, 2, 1, 2},       // groups
    {4, 3, 12, 11, 4, 5, 5, 2, 2, 2, 2, 1, 1, 1},
};

}  // namespace

TEST(Conv2dEvents, SpikeMapsGiveTheBitsOfTheOrderedSumAtAnyThreadCount) {
  uint64_t seed = 100;
  for (const Geometry& g : kEventGeometries) {
    const size_t n_in = static_cast<size_t>(g.n * g.c_in * g.h * g.w);
    const auto w = pseudo_random(static_cast<size_t>(g.c_out * (g.c_in / g.groups) * g.kh * g.kw), -0.5f, 0.5f, ++seed);
    const auto b = pseudo_random(static_cast<size_t>(g.c_out), -1, 1, ++seed);
    auto graded = spikes(n_in, 0.3, ++seed);  // non-zeros other than 1 take the x * w branch
    const auto values = pseudo_random(n_in, 0.5f, 2.0f, ++seed);
    for (size_t k = 0; k < n_in; k += 3) graded[k] *= values[k];
    for (const auto& x : {spikes(n_in, 0.15, ++seed), graded}) {
      for (const bool with_bias : {true, false}) {
        const auto expected = ordered_sparse_conv(g, x, w, with_bias ? &b : nullptr);
        for (int32_t threads : {1, 2, 3}) {
          EXPECT_TRUE(bitwise_equal(expected, cpu_conv(g, x, w, with_bias ? &b : nullptr, threads)))
              << "geometry " << &g - kEventGeometries << ", threads " << threads << ", bias " << with_bias;
        }
      }
    }
    // The dense paths (forced) agree within float rounding; so does the event path on a dense input (forced).
    const auto x = spikes(n_in, 0.15, ++seed);
    {
      ConvPath dense("dense");
      EXPECT_TRUE(close(naive_conv(g, x, w, &b), cpu_conv(g, x, w, &b, 2), 1e-5));
    }
    const auto dense_x = pseudo_random(n_in, -1, 1, ++seed);
    ConvPath events("events");
    EXPECT_TRUE(bitwise_equal(ordered_sparse_conv(g, dense_x, w, &b), cpu_conv(g, dense_x, w, &b, 2)));
  }
}

// Skipping a zero input would hide 0 * inf = NaN: non-finite weights take the dense path.
TEST(Conv2dEvents, NonFiniteWeightsGiveTheDenseResult) {
  const Geometry g{3, 2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1};
  const auto x = spikes(static_cast<size_t>(g.n * g.c_in * g.h * g.w), 0.2, 7);
  auto w = pseudo_random(static_cast<size_t>(g.c_out * g.c_in * g.kh * g.kw), -0.5f, 0.5f, 8);
  w[4] = std::numeric_limits<float>::infinity();  // output channel 0, input channel 0, centre tap
  const auto expected = naive_conv(g, x, w, nullptr);
  const auto actual = cpu_conv(g, x, w, nullptr, 2);
  int64_t nans = 0;
  for (size_t k = 0; k < expected.size(); ++k) {
    ASSERT_EQ(std::isnan(expected[k]), std::isnan(actual[k])) << "element " << k;
    nans += std::isnan(expected[k]);
  }
  EXPECT_GT(nans, 0);  // the zero inputs under the infinite tap
}

namespace {

// Max pooling from the definition: first position wins unless a later one is strictly larger.
void naive_max_pool(const std::vector<float>& x, const std::vector<float>& tr, int64_t planes, int64_t h, int64_t w,
                    int64_t ho, int64_t wo, const std::function<void(int64_t, int64_t, std::vector<std::pair<int64_t, int64_t>>&)>& window,
                    std::vector<float>& out, std::vector<float>& tout) {
  out.assign(static_cast<size_t>(planes * ho * wo), 0);
  tout.assign(out.size(), 0);
  std::vector<std::pair<int64_t, int64_t>> cells;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = 0; y < ho; ++y)
      for (int64_t xx = 0; xx < wo; ++xx) {
        cells.clear();
        window(y, xx, cells);
        float best = -std::numeric_limits<float>::infinity();
        int64_t at = -1;
        for (auto [iy, ix] : cells) {
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
          const int64_t i = (p * h + iy) * w + ix;
          if (at < 0 || x[i] > best) best = x[i], at = i;
        }
        out[(p * ho + y) * wo + xx] = best;
        tout[(p * ho + y) * wo + xx] = tr[at];
      }
}

}  // namespace

class Pool2d : public BackendTest {};

TEST_P(Pool2d, MaxPoolTakesTheFirstSpikeAndItsTrace) {
  // One 2x2 window with spikes at (0, 1) and (1, 0): the top-right one comes first in row-major order.
  Tensor x = tensor({1, 1, 2, 2}, {0, 1, 1, 0}), tr = tensor({1, 1, 2, 2}, {0.1f, 0.2f, 0.3f, 0.4f});
  Tensor out = tensor({1, 1, 1, 1}), tout = tensor({1, 1, 1, 1});
  const int64_t k[2] = {2, 2}, zero[2] = {0, 0}, one[2] = {1, 1};
  ASSERT_EQ(snn_max_pool2d(x.get(), tr.get(), k, k, zero, one, 0, out.get(), tout.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(out.get()), std::vector<float>{1});
  EXPECT_EQ(read(tout.get()), std::vector<float>{0.2f});
  // No spike at all: the first position wins.
  Tensor silent = tensor({1, 1, 2, 2}, {0, 0, 0, 0});
  ASSERT_EQ(snn_max_pool2d(silent.get(), tr.get(), k, k, zero, one, 0, out.get(), tout.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(tout.get()), std::vector<float>{0.1f});
}

TEST_P(Pool2d, MaxPoolMatchesTheNaiveLoop) {
  struct Case { int64_t h, w, kh, kw, sh, sw, ph, pw, dh, dw; int32_t ceil; };
  for (const Case& c : {Case{8, 9, 2, 2, 2, 2, 0, 0, 1, 1, 0}, Case{9, 7, 3, 2, 2, 1, 1, 1, 1, 2, 0},
                       Case{10, 10, 3, 3, 2, 3, 1, 0, 2, 1, 1}, Case{7, 7, 2, 2, 2, 2, 1, 0, 1, 1, 1}}) {
    const int64_t planes = 6;
    auto out_size = [&](int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
      const int64_t room = in + 2 * p - d * (k - 1) - 1;
      int64_t o = (c.ceil ? room + s - 1 : room) / s + 1;
      if (c.ceil && (o - 1) * s >= in + p) --o;
      return o;
    };
    const int64_t ho = out_size(c.h, c.kh, c.sh, c.ph, c.dh), wo = out_size(c.w, c.kw, c.sw, c.pw, c.dw);
    const auto x = spikes(static_cast<size_t>(planes * c.h * c.w), 0.3, 30 + c.h);
    const auto tr = pseudo_random(x.size(), 0, 1, 40 + c.w);
    Tensor input = tensor({2, 3, c.h, c.w}, x), trace = tensor({2, 3, c.h, c.w}, tr);
    Tensor out = tensor({2, 3, ho, wo}), tout = tensor({2, 3, ho, wo});
    const int64_t k[2] = {c.kh, c.kw}, s[2] = {c.sh, c.sw}, p[2] = {c.ph, c.pw}, d[2] = {c.dh, c.dw};
    ASSERT_EQ(snn_max_pool2d(input.get(), trace.get(), k, s, p, d, c.ceil, out.get(), tout.get()), SNN_OK) << last_error();
    std::vector<float> eo, et;
    naive_max_pool(x, tr, planes, c.h, c.w, ho, wo, [&](int64_t y, int64_t xx, auto& cells) {
      for (int64_t i = 0; i < c.kh; ++i)
        for (int64_t j = 0; j < c.kw; ++j) cells.emplace_back(y * c.sh - c.ph + i * c.dh, xx * c.sw - c.pw + j * c.dw);
    }, eo, et);
    EXPECT_TRUE(bitwise_equal(eo, read(out.get())));
    EXPECT_TRUE(bitwise_equal(et, read(tout.get())));
    // Without a trace the values are the same.
    Tensor out2 = tensor({2, 3, ho, wo});
    ASSERT_EQ(snn_max_pool2d(input.get(), nullptr, k, s, p, d, c.ceil, out2.get(), nullptr), SNN_OK) << last_error();
    EXPECT_TRUE(bitwise_equal(eo, read(out2.get())));
  }
}

TEST_P(Pool2d, AdaptiveMaxPoolUsesPyTorchBins) {
  for (auto [h, w, ho, wo] : std::vector<std::array<int64_t, 4>>{{10, 7, 3, 4}, {5, 5, 5, 5}, {4, 9, 7, 2}, {6, 6, 1, 1}}) {
    const auto x = spikes(static_cast<size_t>(4 * h * w), 0.25, 50 + h);
    const auto tr = pseudo_random(x.size(), 0, 1, 60 + w);
    Tensor input = tensor({4, 1, h, w}, x), trace = tensor({4, 1, h, w}, tr), out = tensor({4, 1, ho, wo}),
           tout = tensor({4, 1, ho, wo});
    ASSERT_EQ(snn_adaptive_max_pool2d(input.get(), trace.get(), out.get(), tout.get()), SNN_OK) << last_error();
    std::vector<float> eo, et;
    naive_max_pool(x, tr, 4, h, w, ho, wo, [&](int64_t y, int64_t xx, auto& cells) {
      const int64_t y0 = y * h / ho, y1 = ((y + 1) * h + ho - 1) / ho;
      const int64_t x0 = xx * w / wo, x1 = ((xx + 1) * w + wo - 1) / wo;
      for (int64_t i = y0; i < y1; ++i)
        for (int64_t j = x0; j < x1; ++j) cells.emplace_back(i, j);
    }, eo, et);
    EXPECT_TRUE(bitwise_equal(eo, read(out.get())));
    EXPECT_TRUE(bitwise_equal(et, read(tout.get())));
  }
}

TEST_P(Pool2d, AveragePoolMatchesTheNaiveLoop) {
  const int64_t h = 9, w = 8, kh = 3, kw = 2, sh = 2, sw = 2, ph = 1, pw = 1;
  const int64_t ho = (h + 2 * ph - kh) / sh + 1, wo = (w + 2 * pw - kw) / sw + 1;
  const auto x = pseudo_random(static_cast<size_t>(3 * h * w), -1, 1, 70);
  Tensor input = tensor({3, h, w}, x), out = tensor({3, ho, wo});
  const int64_t k[2] = {kh, kw}, s[2] = {sh, sw}, p[2] = {ph, pw};
  for (int32_t include : {1, 0}) {
    ASSERT_EQ(snn_avg_pool2d(input.get(), k, s, p, include, out.get()), SNN_OK) << last_error();
    std::vector<float> expected(static_cast<size_t>(3 * ho * wo));
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t y = 0; y < ho; ++y)
        for (int64_t xx = 0; xx < wo; ++xx) {
          double sum = 0;
          int inside = 0;
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j) {
              const int64_t iy = y * sh - ph + i, ix = xx * sw - pw + j;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              sum += x[(c * h + iy) * w + ix];
              ++inside;
            }
          expected[(c * ho + y) * wo + xx] = static_cast<float>(sum / (include ? kh * kw : inside));
        }
    EXPECT_TRUE(close(expected, read(out.get()), 1e-6)) << "count_include_pad " << include;
  }
}

TEST_P(Pool2d, RejectsBadArguments) {
  Tensor x = tensor({1, 1, 4, 4}), tr = tensor({1, 1, 4, 4}), out = filled({1, 1, 2, 2}, kSentinel);
  const int64_t k[2] = {2, 2}, zero[2] = {0, 0}, one[2] = {1, 1}, big_pad[2] = {2, 2}, k5[2] = {5, 5};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_max_pool2d(x.get(), tr.get(), k, k, zero, one, 0, out.get(), nullptr),
               "both be given");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_max_pool2d(x.get(), nullptr, k, k, big_pad, one, 0, out.get(), nullptr),
               "at most half the kernel");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_max_pool2d(x.get(), nullptr, k5, k, zero, one, 0, out.get(), nullptr),
               "must not be larger than the padded input");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_avg_pool2d(x.get(), k, zero, zero, 1, out.get()), "stride");
  Tensor flat = tensor({4, 4});
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_avg_pool2d(flat.get(), k, k, zero, 1, out.get()), "rank >= 3");
  EXPECT_TRUE(untouched(out.get()));
}

SNN_INSTANTIATE_BACKENDS(Pool2d);

class DelayLine : public BackendTest {};

TEST_P(DelayLine, StreamsAcrossCallsLikeOneLongSequence) {
  // A sequence of 11 steps of 3 values, fed in pieces of 4, 1, 6 steps through delays 1, 3 and 5:
  // every output step t equals input step t - D (zero before the sequence started).
  const int64_t total = 11, width = 3;
  const auto seq = pseudo_random(static_cast<size_t>(total * width), 0, 1, 80);
  for (int64_t depth : {1, 3, 5}) {
    Tensor line = tensor({depth, width});
    std::vector<float> got;
    int64_t start = 0;
    for (int64_t piece : {4, 1, 6}) {
      std::vector<float> in(seq.begin() + start * width, seq.begin() + (start + piece) * width);
      Tensor x = tensor({piece, width}, in), y = tensor({piece, width});
      ASSERT_EQ(snn_delay_line(x.get(), line.get(), y.get()), SNN_OK) << last_error();
      const auto out = read(y.get());
      got.insert(got.end(), out.begin(), out.end());
      start += piece;
    }
    std::vector<float> expected(static_cast<size_t>(total * width), 0.0f);
    for (int64_t t = depth; t < total; ++t)
      for (int64_t i = 0; i < width; ++i) expected[t * width + i] = seq[(t - depth) * width + i];
    EXPECT_TRUE(bitwise_equal(expected, got)) << "delay " << depth;
  }
}

TEST_P(DelayLine, RejectsMismatchedShapes) {
  Tensor x = tensor({4, 3}), line = tensor({2, 2}), y = filled({4, 3}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_delay_line(x.get(), line.get(), y.get()), "trailing shape");
  EXPECT_TRUE(untouched(y.get()));
}

SNN_INSTANTIATE_BACKENDS(DelayLine);
