// Leaky integrate-and-fire as the neuron family runs it under the integrate-then-spike convention
// (snn_neuron_forward, SNN_NEURON_LIF, SNN_SPIKE_AFTER_INPUT) against the plain recurrence of
// reference.h, for every reset mode and every way of passing membrane and state.
#include <cmath>
#include <limits>

#include "reference.h"
#include "test_util.h"

using namespace snn_test;

namespace {
enum class MembraneArg { kSeparate, kNull, kAliasesCurrent };
const char* name(MembraneArg m) {
  return m == MembraneArg::kSeparate ? "separate" : m == MembraneArg::kNull ? "NULL" : "aliasing current";
}
const char* name(snn_reset_mode r) {
  return r == SNN_RESET_SUBTRACT ? "subtract" : r == SNN_RESET_ZERO ? "zero" : "none";
}

}  // namespace

class Lif : public BackendTest {
 protected:
  // current ~ U(-0.4, 1.2): with threshold 1 and beta 0.9 neurons fire irregularly.
  void check(int64_t T, int64_t B, int64_t N, float beta, snn_reset_mode reset, MembraneArg mem, bool with_state) {
    SCOPED_TRACE(::testing::Message() << "T=" << T << " B=" << B << " N=" << N << " beta=" << beta << " reset="
                                      << name(reset) << " membrane " << name(mem) << " state "
                                      << (with_state ? "given" : "NULL"));
    const float threshold = 1.0f;
    const auto cur = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 11 + T + N);
    const auto init = pseudo_random(static_cast<size_t>(B * N), -0.5f, 1.5f, 12);
    const LifResult ref = reference_lif(cur, T, B, N, beta, threshold, reset, with_state ? &init : nullptr);

    Tensor current = tensor({T, B, N}, cur);
    Tensor spikes = filled({T, B, N}, kSentinel);
    Tensor membrane = mem == MembraneArg::kSeparate ? filled({T, B, N}, kSentinel) : nullptr;
    Tensor state = with_state ? tensor({B, N}, init) : nullptr;
    snn_tensor* membrane_arg = mem == MembraneArg::kSeparate  ? membrane.get()
                               : mem == MembraneArg::kNull ? nullptr
                                                           : current.get();
    ASSERT_EQ(lif_forward(current.get(), beta, threshold, reset, state.get(), spikes.get(), membrane_arg), SNN_OK)
        << last_error();

    const std::vector<float> s = read(spikes.get());
    EXPECT_TRUE(bitwise_equal(ref.spikes, s));
    if (mem == MembraneArg::kSeparate) {
      EXPECT_TRUE(bitwise_equal(ref.membrane, read(membrane.get())));
    }
    if (mem == MembraneArg::kAliasesCurrent) {
      EXPECT_TRUE(bitwise_equal(ref.membrane, read(current.get())));
    }
    if (mem != MembraneArg::kAliasesCurrent) {
      EXPECT_TRUE(bitwise_equal(cur, read(current.get())));
    }
    if (with_state) {
      EXPECT_TRUE(bitwise_equal(ref.state, read(state.get())));
    }
    if (s.size() >= 100) {  // the data must exercise both branches of the reset
      double fired = 0;
      for (float x : s) fired += x;
      EXPECT_GT(fired, 0.02 * s.size()) << "test data should make neurons fire";
      EXPECT_LT(fired, 0.98 * s.size()) << "test data should leave neurons silent at times";
    }
  }
};

TEST_P(Lif, EveryResetModeAndArgumentCombination) {
  for (snn_reset_mode reset : {SNN_RESET_SUBTRACT, SNN_RESET_ZERO, SNN_RESET_NONE})
    for (MembraneArg mem : {MembraneArg::kSeparate, MembraneArg::kNull, MembraneArg::kAliasesCurrent})
      for (bool with_state : {false, true}) check(23, 3, 45, 0.9f, reset, mem, with_state);
}

TEST_P(Lif, ShapesAcrossChunkBoundaries) {
  check(1, 1, 1, 0.5f, SNN_RESET_SUBTRACT, MembraneArg::kSeparate, true);
  check(7, 16, 1024, 0.95f, SNN_RESET_SUBTRACT, MembraneArg::kSeparate, true);
  check(5, 2, 1537, 0.8f, SNN_RESET_ZERO, MembraneArg::kAliasesCurrent, true);
  check(9, 37, 3, 0.9f, SNN_RESET_NONE, MembraneArg::kNull, false);
}

TEST_P(Lif, BetaAtItsBounds) {
  check(12, 2, 33, 0.0f, SNN_RESET_SUBTRACT, MembraneArg::kSeparate, true);
  check(12, 2, 33, 1.0f, SNN_RESET_ZERO, MembraneArg::kSeparate, true);
}

TEST_P(Lif, StateCarriesAcrossCalls) {
  // Two calls of T/2 steps chained through `state` equal one call of T steps.
  const int64_t T = 20, B = 2, N = 70;
  const auto cur = pseudo_random(static_cast<size_t>(T * B * N), -0.4f, 1.2f, 99);
  Tensor whole = tensor({T, B, N}, cur), whole_spikes = tensor({T, B, N}), whole_state = tensor({B, N});
  ASSERT_EQ(lif_forward(whole.get(), 0.9f, 1.0f, SNN_RESET_SUBTRACT, whole_state.get(), whole_spikes.get(), nullptr), SNN_OK);

  const size_t half = static_cast<size_t>(T / 2 * B * N);
  Tensor first = tensor({T / 2, B, N}, std::vector<float>(cur.begin(), cur.begin() + half));
  Tensor second = tensor({T / 2, B, N}, std::vector<float>(cur.begin() + half, cur.end()));
  Tensor s1 = tensor({T / 2, B, N}), s2 = tensor({T / 2, B, N}), state = tensor({B, N});
  ASSERT_EQ(lif_forward(first.get(), 0.9f, 1.0f, SNN_RESET_SUBTRACT, state.get(), s1.get(), nullptr), SNN_OK);
  ASSERT_EQ(lif_forward(second.get(), 0.9f, 1.0f, SNN_RESET_SUBTRACT, state.get(), s2.get(), nullptr), SNN_OK);
  std::vector<float> chained = read(s1.get());
  const std::vector<float> tail = read(s2.get());
  chained.insert(chained.end(), tail.begin(), tail.end());
  EXPECT_TRUE(bitwise_equal(read(whole_spikes.get()), chained));
  EXPECT_TRUE(bitwise_equal(read(whole_state.get()), read(state.get())));
}

// Partial overlap needs views, which exist on CPU devices only.
class LifCpu : public CpuTest {};

TEST_F(LifCpu, PartialOverlapThroughViewsIsRejected) {
  alignas(8) float buffer[3 * 2 * 2 + 2] = {};
  const int64_t shape[3] = {3, 2, 2}, sshape[2] = {2, 2};
  snn_tensor *c = nullptr, *m = nullptr, *v = nullptr;
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 3, shape, buffer, 48, &c), SNN_OK);
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 3, shape, buffer + 2, 48, &m), SNN_OK);
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, sshape, buffer + 10, 16, &v), SNN_OK);
  Tensor cv(c), mv(m), vv(v);
  Tensor spikes = filled({3, 2, 2}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif_forward(c, 0.9f, 1.0f, SNN_RESET_SUBTRACT, nullptr, spikes.get(), m),
               "input and record->membrane share memory");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif_forward(c, 0.9f, 1.0f, SNN_RESET_SUBTRACT, v, spikes.get(), nullptr),
               "input and state->membrane share memory");
  EXPECT_TRUE(untouched(spikes.get()));
  for (float x : buffer) EXPECT_EQ(x, 0.0f);
}

SNN_INSTANTIATE_BACKENDS(Lif);
