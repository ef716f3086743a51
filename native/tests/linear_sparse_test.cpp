// The sparse-input path of snn_linear_forward on CPU devices (native/src/kernels/linear_sparse_cpu.cpp):
// against a double-precision triple loop, against the float32 sum it documents (bias, then
// + x * w over the non-zero inputs in ascending order) bit for bit, across thread counts, and
// where the automatic rule switches between it and the dense sgemm.
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {

// SNN_LINEAR_PATH for one scope ("" : the automatic rule).
struct PathOverride : ScopedEnv {
  explicit PathOverride(const char* path) : ScopedEnv("SNN_LINEAR_PATH", path) {}
};

// The documented float32 order of the sparse path, written from its definition.
std::vector<float> sequential_float(const std::vector<float>& x, const std::vector<float>& w,
                                    const std::vector<float>* bias, int64_t M, int64_t N, int64_t K) {
  std::vector<float> y(static_cast<size_t>(M * N));
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      volatile float acc = bias ? (*bias)[n] : 0.0f;  // volatile: one rounding per operation
      for (int64_t k = 0; k < K; ++k) {
        const float v = x[m * K + k];
        if (v == 0.0f) continue;
        volatile float product = v * w[n * K + k];
        acc = acc + product;
      }
      y[m * N + n] = acc;
    }
  return y;
}

// Inputs with the given density: binary spikes, or sparse values in [-2, 2] (some exactly 1).
std::vector<float> sparse_input(int64_t rows, int64_t k, double density, bool binary, uint64_t seed) {
  const auto u = pseudo_random(static_cast<size_t>(rows * k), 0, 1, seed);
  const auto v = pseudo_random(static_cast<size_t>(rows * k), -2, 2, seed + 1);
  std::vector<float> x(u.size(), 0.0f);
  for (size_t i = 0; i < x.size(); ++i) {
    if (u[i] < density) x[i] = binary ? 1.0f : (i % 5 == 0 ? 1.0f : v[i]);
  }
  return x;
}

Device cpu_device(int32_t threads) {
  Device d = open_device(SNN_DEVICE_CPU);
  EXPECT_EQ(snn_device_set_num_threads(d.get(), threads), SNN_OK) << last_error();
  return d;
}

// snn_linear_forward over [lead..., K] on `threads` CPU threads; returns the output.
std::vector<float> run(int32_t threads, const std::vector<int64_t>& lead, int64_t K, int64_t N, const std::vector<float>& x,
                       const std::vector<float>& w, const std::vector<float>* b) {
  Device d = cpu_device(threads);
  std::vector<int64_t> xs = lead, ys = lead;
  xs.push_back(K);
  ys.push_back(N);
  Tensor input = make_tensor(d.get(), xs, x), weight = make_tensor(d.get(), {N, K}, w);
  Tensor bias = b ? make_tensor(d.get(), {N}, *b) : Tensor();
  Tensor output = make_tensor(d.get(), ys);
  EXPECT_EQ(snn_tensor_fill(output.get(), kSentinel), SNN_OK);
  EXPECT_EQ(snn_linear_forward(input.get(), weight.get(), bias.get(), output.get()), SNN_OK) << last_error();
  return read(output.get());
}

struct Case {
  const char* name;
  std::vector<int64_t> lead;
  int64_t K, N;
  double density;
  bool binary, with_bias;
};

}  // namespace

// Forced onto the sparse path, every kind of input gives the double-precision result within
// float tolerance and exactly the documented float32 sum, on 1 and 2 threads.
TEST(LinearSparse, MatchesReferencesForAllInputKinds) {
  PathOverride sparse("sparse");
  const Case cases[] = {
      {"binary 20%", {25, 4}, 256, 128, 0.2, true, true},
      {"binary, odd sizes", {7, 3, 5}, 129, 33, 0.2, true, true},
      {"non-binary sparse", {70}, 300, 257, 0.1, false, true},
      {"non-binary, no bias", {9, 8}, 77, 100, 0.3, false, false},
      {"all zero", {66}, 64, 50, 0.0, true, true},
      {"all zero, no bias", {66}, 64, 50, 0.0, true, false},
      {"dense values", {65}, 200, 130, 1.0, false, true},
      {"dense binary", {65}, 96, 17, 1.0, true, true},
      {"wide tile (K small)", {100}, 31, 300, 0.25, true, true},
      {"narrow tile (K large)", {80}, 9000, 40, 0.05, false, true},
      {"one output", {64}, 50, 1, 0.5, false, true},
      {"vector input", {}, 40, 20, 0.3, false, true},
  };
  uint64_t seed = 10;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    int64_t M = 1;
    for (int64_t d : c.lead) M *= d;
    const auto x = sparse_input(M, c.K, c.density, c.binary, seed++);
    const auto w = pseudo_random(static_cast<size_t>(c.N * c.K), -0.5f, 0.5f, seed++);
    const auto b = pseudo_random(static_cast<size_t>(c.N), -1, 1, seed++);
    const std::vector<float>* bias = c.with_bias ? &b : nullptr;
    const auto one = run(1, c.lead, c.K, c.N, x, w, bias);
    EXPECT_TRUE(close_to_sums(reference_linear(x, w, bias, M, c.N, c.K), one, c.K));
    EXPECT_TRUE(bitwise_equal(sequential_float(x, w, bias, M, c.N, c.K), one));
    EXPECT_TRUE(bitwise_equal(one, run(2, c.lead, c.K, c.N, x, w, bias)));
  }
}

// The automatic rule, on its own, gives the same bits at any thread count (the rule looks at
// values only, and each path sums in an order independent of the threads).
TEST(LinearSparse, IdenticalBitsAcrossThreadCounts) {
  PathOverride automatic("");
  const int64_t T = 50, B = 16, K = 1000, N = 515;  // N: four tiles of 128 and a ragged one
  const auto x = sparse_input(T * B, K, 0.2, true, 40);
  const auto w = pseudo_random(static_cast<size_t>(N * K), -0.1f, 0.1f, 41);
  const auto b = pseudo_random(static_cast<size_t>(N), -1, 1, 42);
  const auto one = run(1, {T, B}, K, N, x, w, &b);
  EXPECT_TRUE(close_to_sums(reference_linear(x, w, &b, T * B, N, K), one, K));
  EXPECT_TRUE(bitwise_equal(one, run(2, {T, B}, K, N, x, w, &b)));
  EXPECT_TRUE(bitwise_equal(one, run(3, {T, B}, K, N, x, w, &b)));
}

// Where the rule switches: with rows <= 256 every row is sampled, so the density is exact.
// Output column 0 tells the paths apart: its bias is 2^24 and its weights are 1, so adding the
// ones to the bias one at a time (sparse) loses each of them, while the sgemm adds the bias to
// their sum (dense). The other columns check the values.
TEST(LinearSparse, PathChoiceBoundary) {
  const int64_t M = 100, K = 200, N = 40;
  auto w = pseudo_random(static_cast<size_t>(N * K), -0.5f, 0.5f, 50);
  for (int64_t k = 0; k < K; ++k) w[static_cast<size_t>(k)] = 1.0f;
  auto b = pseudo_random(static_cast<size_t>(N), -1, 1, 51);
  b[0] = 16777216.0f;
  // Every row gets exactly `per_row` ones, so density = per_row / K exactly.
  auto input = [&](int64_t per_row) {
    std::vector<float> x(static_cast<size_t>(M * K), 0.0f);
    for (int64_t r = 0; r < M; ++r)
      for (int64_t i = 0; i < per_row; ++i) x[static_cast<size_t>(r * K + (r * 7 + i * 13) % K)] = 1.0f;
    return x;
  };
  const int64_t at = 120;  // 120 / 200 = 0.6, the documented limit (kSparseMaxDensity)
  for (int64_t per_row : {at - 1, at, at + 1, K}) {
    SCOPED_TRACE("non-zeros per row " + std::to_string(per_row));
    const auto x = input(per_row);
    std::vector<float> sparse, dense, chosen;
    {
      PathOverride p("sparse");
      sparse = run(2, {M}, K, N, x, w, &b);
    }
    {
      PathOverride p("dense");
      dense = run(2, {M}, K, N, x, w, &b);
    }
    {
      PathOverride p("");
      chosen = run(2, {M}, K, N, x, w, &b);
    }
    EXPECT_TRUE(close_to_sums(reference_linear(x, w, &b, M, N, K), dense, K));
    EXPECT_EQ(sparse[0], 16777216.0f);                                    // the ones are lost one by one
    EXPECT_EQ(dense[0], static_cast<float>(16777216.0 + per_row));  // sum first, then 2^24 + sum rounded once
    EXPECT_TRUE(bitwise_equal(per_row <= at ? sparse : dense, chosen));
  }
  // Fewer rows than kSparseMinRows (64) take the dense path however sparse they are.
  PathOverride automatic("");
  const auto x = input(10);
  const std::vector<float> few(x.begin(), x.begin() + 63 * K), many(x.begin(), x.begin() + 64 * K);
  EXPECT_EQ(run(1, {63}, K, N, few, w, &b)[0], 16777216.0f + 10.0f);
  EXPECT_EQ(run(1, {64}, K, N, many, w, &b)[0], 16777216.0f);
}

// Skipping zero inputs must not hide IEEE specials: a NaN input is a non-zero, and an infinite
// weight at an input that is 0 gives NaN (0 * inf) as in the dense product, because such
// weights send the call to sgemm.
TEST(LinearSparse, NonFiniteValuesKeepIeeeSemantics) {
  PathOverride sparse("sparse");
  const int64_t M = 70, K = 50, N = 20;
  const auto x = sparse_input(M, K, 0.2, true, 60);
  auto w = pseudo_random(static_cast<size_t>(N * K), -0.5f, 0.5f, 61);
  // A NaN input is not a zero: its row is NaN, the others are untouched by it.
  auto x_nan = x;
  x_nan[static_cast<size_t>(5 * K + 7)] = std::numeric_limits<float>::quiet_NaN();
  const auto y_nan = run(1, {M}, K, N, x_nan, w, nullptr);
  for (int64_t j = 0; j < N; ++j) EXPECT_TRUE(std::isnan(y_nan[static_cast<size_t>(5 * N + j)])) << j;
  EXPECT_TRUE(bitwise_equal(sequential_float(x, w, nullptr, 1, N, K), std::vector<float>(y_nan.begin(), y_nan.begin() + N)));
  int64_t zero_k = 0;
  while (x[static_cast<size_t>(zero_k)] != 0.0f) ++zero_k;  // an input that row 0 does not fire
  w[static_cast<size_t>(3 * K + zero_k)] = std::numeric_limits<float>::infinity();
  const auto y = run(2, {M}, K, N, x, w, nullptr);
  EXPECT_TRUE(std::isnan(y[3])) << "row 0, output 3: 0 * inf must give NaN, got " << y[3];
  const auto expected = reference_linear(x, w, nullptr, M, N, K);
  for (size_t i = 0; i < y.size(); ++i) {
    if (std::isfinite(expected[i])) {
      ASSERT_NEAR(expected[i], y[i], 1e-4) << i;
    } else {
      ASSERT_EQ(std::isnan(expected[i]), std::isnan(y[i])) << i;
    }
  }
}
