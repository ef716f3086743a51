// Philox4x32-10 against Random123's known-answer vectors (Random123 tests/kat_vectors, the
// three "philox4x32 10" lines), and the layout of the uniform stream.
#include <cmath>
#include <set>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {
struct Kat {
  uint32_t counter[4];
  uint32_t key[2];
  uint32_t expected[4];
};

const Kat kKats[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000}, {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};
}  // namespace

TEST(Philox, Random123KnownAnswers) {
  for (const Kat& kat : kKats) {
    uint32_t out[4] = {0, 0, 0, 0};
    ASSERT_EQ(snn_philox4x32_10(kat.counter, kat.key, out), SNN_OK) << last_error();
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], kat.expected[i]) << "word " << i << " of counter " << std::hex << kat.counter[0];
  }
}

TEST(Philox, NullArgumentsAreRejectedAndOutputUntouched) {
  const uint32_t c[4] = {0, 0, 0, 0}, k[2] = {0, 0};
  uint32_t out[4] = {1, 2, 3, 4};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_philox4x32_10(nullptr, k, out), "counter is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_philox4x32_10(c, nullptr, out), "key is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_philox4x32_10(c, k, nullptr), "out is NULL");
  EXPECT_EQ(out[0], 1u);
  EXPECT_EQ(out[3], 4u);
}

class Uniform : public BackendTest {};

TEST_P(Uniform, FirstElementsAreTheKnownAnswerBlock) {
  // seed 0, offset 0: element i < 4 is word i of philox(counter 0, key 0).
  Tensor u = tensor({4});
  ASSERT_EQ(snn_random_uniform(u.get(), 0, 0), SNN_OK) << last_error();
  const std::vector<float> v = read(u.get());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(v[i], static_cast<float>(kKats[0].expected[i] >> 8) / 16777216.0f);
}

TEST_P(Uniform, StreamLayoutMatchesTheHeader) {
  // 5003 elements: several CPU chunks, an incomplete last Philox block; 64-bit seed and
  // offset with distinct high and low halves.
  const uint64_t seed = 0x0123456789abcdefull, offset = 0xfedcba9876543210ull;
  Tensor u = tensor({7, 5, 143});
  ASSERT_EQ(snn_random_uniform(u.get(), seed, offset), SNN_OK) << last_error();
  const std::vector<float> v = read(u.get());
  std::vector<float> expected(v.size());
  for (size_t i = 0; i < v.size(); ++i) expected[i] = reference_uniform(i, seed, offset);
  EXPECT_TRUE(bitwise_equal(expected, v));
  for (float x : v) {
    ASSERT_GE(x, 0.0f);
    ASSERT_LT(x, 1.0f);
  }
}

TEST_P(Uniform, HighHalvesOfSeedAndOffsetMatter) {
  Tensor a = tensor({64}), b = tensor({64}), c = tensor({64});
  ASSERT_EQ(snn_random_uniform(a.get(), 1, 1), SNN_OK);
  ASSERT_EQ(snn_random_uniform(b.get(), 1 | (1ull << 32), 1), SNN_OK);
  ASSERT_EQ(snn_random_uniform(c.get(), 1, 1 | (1ull << 32)), SNN_OK);
  EXPECT_NE(read(a.get()), read(b.get()));
  EXPECT_NE(read(a.get()), read(c.get()));
}

TEST_P(Uniform, MeanAndSpreadAreUniform) {
  Tensor u = tensor({1 << 16});
  ASSERT_EQ(snn_random_uniform(u.get(), 42, 7), SNN_OK);
  const std::vector<float> v = read(u.get());
  double mean = 0;
  for (float x : v) mean += x;
  mean /= v.size();
  EXPECT_NEAR(mean, 0.5, 4 * std::sqrt(1.0 / 12 / v.size()));
  EXPECT_GT(std::set<float>(v.begin(), v.end()).size(), v.size() * 99 / 100);
}

TEST_P(Uniform, RejectsNonFloatTensorsUntouched) {
  Tensor t = tensor({8}, SNN_DTYPE_INT32);
  ASSERT_EQ(snn_tensor_fill(t.get(), 5), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_uniform(t.get(), 1, 2), "snn_random_uniform: output must be float32",
               "int32");
  std::vector<int32_t> v(8);
  ASSERT_EQ(snn_tensor_download(t.get(), v.data(), 32), SNN_OK);
  for (int32_t x : v) EXPECT_EQ(x, 5);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_random_uniform(nullptr, 1, 2), "output is NULL");
}

SNN_INSTANTIATE_BACKENDS(Uniform);
