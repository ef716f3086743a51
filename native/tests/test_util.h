// Shared helpers of the native test suite. Tests use only the public C ABI.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "snn/snn.h"

namespace snn_test {

struct DeviceRelease {
  void operator()(snn_device* d) const { snn_device_release(d); }
};
struct TensorRelease {
  void operator()(snn_tensor* t) const { snn_tensor_release(t); }
};
using Device = std::unique_ptr<snn_device, DeviceRelease>;
using Tensor = std::unique_ptr<snn_tensor, TensorRelease>;

inline std::string last_error() { return snn_last_error_message(); }

inline const char* kind_name(snn_device_kind kind) { return kind == SNN_DEVICE_CPU ? "CPU" : "CUDA"; }

// Backends compiled into the library; every parametrised op suite runs over these.
inline std::vector<snn_device_kind> built_backends() {
  std::vector<snn_device_kind> kinds{SNN_DEVICE_CPU};
  if (snn_device_kind_is_built(SNN_DEVICE_CUDA)) kinds.push_back(SNN_DEVICE_CUDA);
  return kinds;
}

inline bool has_gpu() {
  int32_t n = 0;
  return snn_device_count(SNN_DEVICE_CUDA, &n) == SNN_OK && n > 0;
}

inline Device open_device(snn_device_kind kind) {
  snn_device* d = nullptr;
  const snn_status s = snn_device_create(kind, 0, &d);
  EXPECT_EQ(s, SNN_OK) << last_error();
  return Device(d);
}

inline Tensor make_tensor(snn_device* device, std::vector<int64_t> shape, snn_dtype dtype = SNN_DTYPE_FLOAT32) {
  snn_tensor* t = nullptr;
  const snn_status s = snn_tensor_create(device, dtype, static_cast<int32_t>(shape.size()), shape.data(), &t);
  EXPECT_EQ(s, SNN_OK) << last_error();
  return Tensor(t);
}

inline Tensor make_tensor(snn_device* device, std::vector<int64_t> shape, const std::vector<float>& values) {
  Tensor t = make_tensor(device, std::move(shape));
  const snn_status s = snn_tensor_upload(t.get(), values.data(), values.size() * sizeof(float));
  EXPECT_EQ(s, SNN_OK) << last_error();
  return t;
}

inline int64_t numel(const snn_tensor* t) {
  snn_tensor_info info{};
  EXPECT_EQ(snn_tensor_get_info(t, &info), SNN_OK) << last_error();
  return info.numel;
}

// Leaky integrate-and-fire through the neuron family (SNN_NEURON_LIF, spike from the updated
// membrane): V = beta V + x, spike when V > threshold, then reset. state and membrane may be NULL.
inline snn_status lif_forward(const snn_tensor* current, float beta, float threshold, int32_t reset, snn_tensor* state,
                              snn_tensor* spikes, snn_tensor* membrane) {
  snn_neuron_params p{};
  p.model = SNN_NEURON_LIF;
  p.spike_timing = SNN_SPIKE_AFTER_INPUT;
  p.reset_mode = reset;
  p.beta = beta;
  p.threshold = threshold;
  snn_neuron_state st{};
  st.membrane = state;
  snn_neuron_record rec{};
  rec.membrane = membrane;
  return snn_neuron_forward(current, &p, nullptr, &st, spikes, &rec);
}


inline std::vector<float> read(const snn_tensor* t) {
  std::vector<float> out(static_cast<size_t>(numel(t)));
  EXPECT_EQ(snn_tensor_download(t, out.data(), out.size() * sizeof(float)), SNN_OK) << last_error();
  return out;
}

inline uint32_t bits(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
}

// Bit-for-bit equality (distinguishes -0 from 0, compares NaN payloads).
inline ::testing::AssertionResult bitwise_equal(const std::vector<float>& expected, const std::vector<float>& actual) {
  if (expected.size() != actual.size()) {
    return ::testing::AssertionFailure() << "sizes differ: " << expected.size() << " vs " << actual.size();
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    if (bits(expected[i]) != bits(actual[i])) {
      return ::testing::AssertionFailure() << "element " << i << ": expected " << expected[i] << " got " << actual[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Float32 sums of k products against a double-precision reference: within 1e-5 * sqrt(k + 1),
// relative to 1 + |expected| (rounding errors of a k-term sum grow like sqrt(k)).
inline ::testing::AssertionResult close_to_sums(const std::vector<float>& expected, const std::vector<float>& actual,
                                                int64_t k) {
  if (expected.size() != actual.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < expected.size(); ++i) {
    const double tol = 1e-5 * std::sqrt(static_cast<double>(k) + 1) * (1 + std::fabs(expected[i]));
    if (!(std::fabs(expected[i] - actual[i]) <= tol)) {
      return ::testing::AssertionFailure() << "element " << i << ": expected " << expected[i] << " got " << actual[i];
    }
  }
  return ::testing::AssertionSuccess();
}

// Sets environment variable `name` to `value` for one scope ("" unsets it), then restores what was there:
// the kernels' path switches (SNN_LINEAR_PATH, SNN_CONV_PATH) are read on every call.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (*value != '\0') setenv(name, value, 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_) setenv(name_.c_str(), old_.c_str(), 1);
    else unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  bool had_ = false;
  std::string old_;
};

// Deterministic test data (a 64-bit LCG, independent of the library's generator).
inline std::vector<float> pseudo_random(size_t n, float lo, float hi, uint64_t seed) {
  std::vector<float> v(n);
  uint64_t s = seed * 6364136223846793005ull + 1442695040888963407ull;
  for (auto& x : v) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    x = lo + (hi - lo) * static_cast<float>(s >> 40) / static_cast<float>(1ull << 24);
  }
  return v;
}

// The sentinel written into outputs to prove a failing call left them untouched.
constexpr float kSentinel = -12345.0f;

// Helpers of fixtures that own one device.
class DeviceFixture {
 protected:
  snn_device* device() const { return device_.get(); }
  Tensor tensor(std::vector<int64_t> shape, snn_dtype dtype = SNN_DTYPE_FLOAT32) {
    return make_tensor(device(), std::move(shape), dtype);
  }
  Tensor tensor(std::vector<int64_t> shape, const std::vector<float>& values) {
    return make_tensor(device(), std::move(shape), values);
  }
  Tensor filled(std::vector<int64_t> shape, float value) {
    Tensor t = tensor(std::move(shape));
    EXPECT_EQ(snn_tensor_fill(t.get(), value), SNN_OK) << last_error();
    return t;
  }
  // True when every element of t is still kSentinel.
  ::testing::AssertionResult untouched(const snn_tensor* t) {
    const std::vector<float> v = read(t);
    for (size_t i = 0; i < v.size(); ++i) {
      if (bits(v[i]) != bits(kSentinel)) return ::testing::AssertionFailure() << "element " << i << " was written: " << v[i];
    }
    return ::testing::AssertionSuccess();
  }

  Device device_;
};

// Parametrised over the built backends; CUDA instances skip only when no GPU is present.
class BackendTest : public ::testing::TestWithParam<snn_device_kind>, protected DeviceFixture {
 protected:
  void SetUp() override {
    if (GetParam() == SNN_DEVICE_CUDA && !has_gpu()) {
      GTEST_SKIP() << "CUDA backend is built but this machine has no usable GPU; the CUDA instance runs on a GPU host";
    }
    device_ = open_device(GetParam());
    ASSERT_NE(device_, nullptr);
  }
};

// For what exists on CPU devices only (views over host memory).
class CpuTest : public ::testing::Test, protected DeviceFixture {
 protected:
  void SetUp() override {
    device_ = open_device(SNN_DEVICE_CPU);
    ASSERT_NE(device_, nullptr);
  }
};

inline std::string backend_name(const ::testing::TestParamInfo<snn_device_kind>& info) {
  return kind_name(info.param);
}

#define SNN_INSTANTIATE_BACKENDS(Suite) \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::snn_test::built_backends()), ::snn_test::backend_name)

// Expects `call` to return `status` with a message that contains every fragment.
#define EXPECT_FAILS(status, call, ...)                                                      \
  do {                                                                                       \
    const snn_status snn_actual_ = (call);                                                   \
    EXPECT_EQ(snn_actual_, (status)) << #call << " -> " << snn_status_name(snn_actual_) << ": " \
                                     << snn_last_error_message();                            \
    for (const char* fragment_ : std::vector<const char*>{__VA_ARGS__}) {                    \
      EXPECT_NE(std::string(snn_last_error_message()).find(fragment_), std::string::npos)    \
          << "message '" << snn_last_error_message() << "' lacks '" << fragment_ << "'";     \
    }                                                                                        \
  } while (0)

}  // namespace snn_test
