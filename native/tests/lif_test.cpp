// snn_lif_forward against the header's recurrence, for every reset mode and every way of
// passing membrane and state, and its error paths.
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
    const snn_lif_params params{beta, threshold, reset};
    ASSERT_EQ(snn_lif_forward(current.get(), &params, state.get(), spikes.get(), membrane_arg), SNN_OK) << last_error();

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
  const snn_lif_params params{0.9f, 1.0f, SNN_RESET_SUBTRACT};
  Tensor whole = tensor({T, B, N}, cur), whole_spikes = tensor({T, B, N}), whole_state = tensor({B, N});
  ASSERT_EQ(snn_lif_forward(whole.get(), &params, whole_state.get(), whole_spikes.get(), nullptr), SNN_OK);

  const size_t half = static_cast<size_t>(T / 2 * B * N);
  Tensor first = tensor({T / 2, B, N}, std::vector<float>(cur.begin(), cur.begin() + half));
  Tensor second = tensor({T / 2, B, N}, std::vector<float>(cur.begin() + half, cur.end()));
  Tensor s1 = tensor({T / 2, B, N}), s2 = tensor({T / 2, B, N}), state = tensor({B, N});
  ASSERT_EQ(snn_lif_forward(first.get(), &params, state.get(), s1.get(), nullptr), SNN_OK);
  ASSERT_EQ(snn_lif_forward(second.get(), &params, state.get(), s2.get(), nullptr), SNN_OK);
  std::vector<float> chained = read(s1.get());
  const std::vector<float> tail = read(s2.get());
  chained.insert(chained.end(), tail.begin(), tail.end());
  EXPECT_TRUE(bitwise_equal(read(whole_spikes.get()), chained));
  EXPECT_TRUE(bitwise_equal(read(whole_state.get()), read(state.get())));
}

TEST_P(Lif, BadParametersAreRejectedWithOutputsUntouched) {
  Tensor current = filled({4, 2, 3}, 0.7f);
  Tensor spikes = filled({4, 2, 3}, kSentinel), membrane = filled({4, 2, 3}, kSentinel), state = filled({2, 3}, kSentinel);
  auto run = [&](float beta, float threshold, int32_t reset) {
    const snn_lif_params p{beta, threshold, reset};
    return snn_lif_forward(current.get(), &p, state.get(), spikes.get(), membrane.get());
  };
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, -1.0f, SNN_RESET_SUBTRACT),
               "snn_lif_forward: threshold must be finite and > 0, got -1; pass a positive threshold");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, 0.0f, SNN_RESET_SUBTRACT), "threshold must be finite and > 0, got 0");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, nan, SNN_RESET_SUBTRACT), "threshold", "got nan");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, inf, SNN_RESET_SUBTRACT), "threshold", "got inf");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(-0.1f, 1.0f, SNN_RESET_SUBTRACT), "beta must be in [0, 1], got -0.1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(1.5f, 1.0f, SNN_RESET_SUBTRACT), "beta must be in [0, 1], got 1.5");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(nan, 1.0f, SNN_RESET_SUBTRACT), "beta must be in [0, 1], got nan");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, 1.0f, 3), "reset_mode 3 is unknown");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, run(0.9f, 1.0f, -1), "reset_mode -1 is unknown");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_lif_forward(current.get(), nullptr, state.get(), spikes.get(), membrane.get()), "params is NULL");
  EXPECT_TRUE(untouched(spikes.get()));
  EXPECT_TRUE(untouched(membrane.get()));
  EXPECT_TRUE(untouched(state.get()));
}

TEST_P(Lif, BadTensorsAreRejectedWithOutputsUntouched) {
  const snn_lif_params p{0.9f, 1.0f, SNN_RESET_SUBTRACT};
  Tensor current = filled({4, 2, 3}, 0.7f);
  Tensor spikes = filled({4, 2, 3}, kSentinel), membrane = filled({4, 2, 3}, kSentinel), state = filled({2, 3}, kSentinel);
  Tensor current_int = tensor({4, 2, 3}, SNN_DTYPE_INT32), current_rank2 = filled({8, 3}, 0.7f);
  Tensor no_steps = tensor({0, 2, 3}), spikes_wrong = filled({4, 2, 4}, kSentinel);
  Tensor membrane_wrong = filled({3, 2, 3}, kSentinel), state_wrong = filled({3, 2}, kSentinel);
  Tensor spikes_f64 = tensor({4, 2, 3}, SNN_DTYPE_FLOAT64), state_rank3 = filled({1, 2, 3}, kSentinel);

  auto lif = [&](const snn_tensor* c, snn_tensor* v, snn_tensor* s, snn_tensor* m) {
    return snn_lif_forward(c, &p, v, s, m);
  };
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(nullptr, state.get(), spikes.get(), membrane.get()), "current is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), nullptr, membrane.get()), "spikes is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current_int.get(), state.get(), spikes.get(), membrane.get()),
               "current must be float32, got int32 [4, 2, 3]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current_rank2.get(), state.get(), spikes.get(), membrane.get()),
               "current must have rank 3 [T, B, N]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(no_steps.get(), nullptr, spikes.get(), nullptr), "T = 0", "T >= 1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), spikes_wrong.get(), membrane.get()),
               "spikes must have the shape of current [4, 2, 3], got [4, 2, 4]");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), spikes_f64.get(), membrane.get()),
               "spikes must be float32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), spikes.get(), membrane_wrong.get()),
               "membrane must have the shape of current");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state_wrong.get(), spikes.get(), membrane.get()),
               "state [3, 2] does not match current [4, 2, 3]", "[2, 3] or NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state_rank3.get(), spikes.get(), membrane.get()),
               "state must have rank 2 [B, N]");
  // Aliasing other than membrane == current.
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), current.get(), membrane.get()),
               "current and spikes share memory");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, lif(current.get(), state.get(), spikes.get(), spikes.get()),
               "spikes and membrane share memory");
  for (const Tensor* t : {&spikes, &membrane, &state, &spikes_wrong, &membrane_wrong, &state_wrong, &state_rank3}) {
    EXPECT_TRUE(untouched(t->get()));
  }
  EXPECT_EQ(read(current.get()), std::vector<float>(24, 0.7f));
}

// Partial overlap needs views, which exist on CPU devices only.
class LifCpu : public CpuTest {};

TEST_F(LifCpu, PartialOverlapThroughViewsIsRejected) {
  const snn_lif_params p{0.9f, 1.0f, SNN_RESET_SUBTRACT};
  alignas(8) float buffer[3 * 2 * 2 + 2] = {};
  const int64_t shape[3] = {3, 2, 2}, sshape[2] = {2, 2};
  snn_tensor *c = nullptr, *m = nullptr, *v = nullptr;
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 3, shape, buffer, 48, &c), SNN_OK);
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 3, shape, buffer + 2, 48, &m), SNN_OK);
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, sshape, buffer + 10, 16, &v), SNN_OK);
  Tensor cv(c), mv(m), vv(v);
  Tensor spikes = filled({3, 2, 2}, kSentinel);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_lif_forward(c, &p, nullptr, spikes.get(), m),
               "current and membrane share memory");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_lif_forward(c, &p, v, spikes.get(), nullptr),
               "current and state share memory");
  EXPECT_TRUE(untouched(spikes.get()));
  for (float x : buffer) EXPECT_EQ(x, 0.0f);
}

SNN_INSTANTIATE_BACKENDS(Lif);
