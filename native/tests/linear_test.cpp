// snn_linear_forward against a double-precision triple loop, and its error paths.
#include <cmath>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

class Linear : public BackendTest {};

TEST_P(Linear, MatchesTheTripleLoopOverLeadingDimensions) {
  const int64_t T = 3, B = 5, K = 129, N = 33;
  const auto x = pseudo_random(static_cast<size_t>(T * B * K), -1, 1, 1);
  const auto w = pseudo_random(static_cast<size_t>(N * K), -0.5, 0.5, 2);
  const auto b = pseudo_random(static_cast<size_t>(N), -2, 2, 3);
  Tensor input = tensor({T, B, K}, x), weight = tensor({N, K}, w), bias = tensor({N}, b);
  Tensor output = tensor({T, B, N});
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), bias.get(), output.get()), SNN_OK) << last_error();
  EXPECT_TRUE(close_to_sums(reference_linear(x, w, &b, T * B, N, K), read(output.get()), K));
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), nullptr, output.get()), SNN_OK) << last_error();
  EXPECT_TRUE(close_to_sums(reference_linear(x, w, nullptr, T * B, N, K), read(output.get()), K));
}

TEST_P(Linear, LargerProblem) {
  const int64_t M = 300, K = 512, N = 257;
  const auto x = pseudo_random(static_cast<size_t>(M * K), -1, 1, 4);
  const auto w = pseudo_random(static_cast<size_t>(N * K), -0.1f, 0.1f, 5);
  const auto b = pseudo_random(static_cast<size_t>(N), -1, 1, 6);
  Tensor input = tensor({M, K}, x), weight = tensor({N, K}, w), bias = tensor({N}, b), output = tensor({M, N});
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), bias.get(), output.get()), SNN_OK) << last_error();
  EXPECT_TRUE(close_to_sums(reference_linear(x, w, &b, M, N, K), read(output.get()), K));
}

TEST_P(Linear, VectorInput) {
  const std::vector<float> x = {1, 2, 3}, w = {1, 0, 0, 0, 1, 0, 1, 1, 1, 0.5f, -1, 2}, b = {0, 0, 0, 10};
  Tensor input = tensor({3}, x), weight = tensor({4, 3}, w), bias = tensor({4}, b), output = tensor({4});
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), bias.get(), output.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(output.get()), (std::vector<float>{1, 2, 6, 14.5f}));
}

TEST_P(Linear, NoInputFeaturesGivesTheBias) {
  Tensor input = tensor({4, 0}), weight = tensor({3, 0}), bias = tensor({3}, {1, 2, 3});
  Tensor output = filled({4, 3}, kSentinel);
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), bias.get(), output.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(output.get()), (std::vector<float>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}));
  ASSERT_EQ(snn_linear_forward(input.get(), weight.get(), nullptr, output.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(output.get()), std::vector<float>(12, 0.0f));
}

TEST_P(Linear, ErrorsLeaveTheOutputUntouched) {
  Tensor x = filled({2, 4}, 1.0f), w = filled({3, 4}, 1.0f), b = filled({3}, 1.0f);
  Tensor y = filled({2, 3}, kSentinel);
  Tensor x_int = tensor({2, 4}, SNN_DTYPE_INT32), w_f64 = tensor({3, 4}, SNN_DTYPE_FLOAT64);
  Tensor w_rank3 = filled({1, 3, 4}, 1.0f), w_wrong_in = filled({3, 5}, 1.0f), b_wrong = filled({4}, 1.0f);
  Tensor b_rank2 = filled({1, 3}, 1.0f), scalar = filled({}, 1.0f);
  Tensor y_wrong = filled({2, 4}, kSentinel), y_rank3 = filled({1, 2, 3}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(nullptr, w.get(), b.get(), y.get()), "input is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), nullptr, b.get(), y.get()), "weight is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), b.get(), nullptr), "output is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x_int.get(), w.get(), b.get(), y.get()),
               "input must be float32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w_f64.get(), b.get(), y.get()),
               "weight must be float32, got float64");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w_rank3.get(), b.get(), y.get()),
               "weight must have rank 2 [n_out, n_in]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w_wrong_in.get(), b.get(), y.get()),
               "ends in 4 features", "n_in = 5");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), b_wrong.get(), y.get()),
               "bias has 4 elements", "n_out = 3");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), b_rank2.get(), y.get()),
               "bias must have rank 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(scalar.get(), w.get(), b.get(), y.get()),
               "input must have rank >= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), b.get(), y_wrong.get()),
               "output must be [2, 3]", "got [2, 4]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), b.get(), y_rank3.get()),
               "output must be [2, 3]");
  EXPECT_TRUE(untouched(y.get()));
  EXPECT_TRUE(untouched(y_wrong.get()));
  EXPECT_TRUE(untouched(y_rank3.get()));
}

TEST_P(Linear, OutputMustNotAliasAnInput) {
  Tensor w = filled({2, 2}, 1.0f);
  Tensor x = filled({2, 2}, 1.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), nullptr, x.get()),
               "output and input share memory");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_linear_forward(x.get(), w.get(), nullptr, w.get()),
               "output and weight share memory");
  EXPECT_EQ(read(x.get()), std::vector<float>(4, 1.0f));
}

SNN_INSTANTIATE_BACKENDS(Linear);
