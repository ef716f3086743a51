// The operation dispatch of the device layer (src/device/operation.h), tested on its own: a
// registered kernel runs with what the device lends it, and an operation without a kernel for a
// device kind, or a kind that does not exist, fails with SNN_ERROR_UNSUPPORTED and a message
// that names the operation and where it can run, through the same guard every C entry uses.
#include <gtest/gtest.h>

#include <string>

#include "core/guard.h"
#include "device/operation.h"

namespace {

struct ScaleArgs {
  float* values;
  int n;
  float factor;
};

void scale_cpu(const ScaleArgs& a, int threads) {
  for (int i = 0; i < a.n; ++i) a.values[i] *= a.factor * static_cast<float>(threads);
}

snn::Operation<ScaleArgs> scale_op{"scale"};
snn::Operation<ScaleArgs> unregistered_op{"unregistered"};

SNN_REGISTER_CPU_KERNEL(scale_op, scale_cpu);

// Runs `op` the way CpuBackend::run does, behind the C entry guard.
snn_status run_on(const snn::OperationBase& op, int32_t kind, const ScaleArgs& args, int threads) {
  return snn::guard("test_entry", [&] {
    snn::Launch launch;
    launch.threads = threads;
    (void)op.require_kernel(kind)(&args, launch);
  });
}

}  // namespace

TEST(Dispatch, RegistrationFillsTheSlotOfItsDeviceKindOnly) {
  EXPECT_NE(scale_op.kernel(SNN_DEVICE_CPU), nullptr);
  EXPECT_EQ(scale_op.kernel(SNN_DEVICE_CUDA), nullptr);
  EXPECT_EQ(unregistered_op.kernel(SNN_DEVICE_CPU), nullptr);
  EXPECT_STREQ(scale_op.name(), "scale");
}

TEST(Dispatch, TheRegisteredKernelRunsOnTheArgumentsWithTheDevicesThreads) {
  float v[3] = {1.0f, -2.0f, 0.5f};
  ASSERT_EQ(run_on(scale_op, SNN_DEVICE_CPU, ScaleArgs{v, 3, 2.0f}, 3), SNN_OK) << snn::last_error_message();
  EXPECT_EQ(v[0], 6.0f);
  EXPECT_EQ(v[1], -12.0f);
  EXPECT_EQ(v[2], 3.0f);
}

TEST(Dispatch, AMissingKernelIsATypedErrorNamingWhereTheOperationRuns) {
  float v[1] = {1.0f};
  EXPECT_EQ(run_on(scale_op, SNN_DEVICE_CUDA, ScaleArgs{v, 1, 2.0f}, 1), SNN_ERROR_UNSUPPORTED);
  EXPECT_EQ(std::string(snn::last_error_message()),
            "test_entry: scale has no CUDA kernel in this build; run it on a CPU device (open one with "
            "snn_device_create)");
  EXPECT_EQ(v[0], 1.0f);
}

TEST(Dispatch, AnOperationWithNoKernelAtAllIsATypedError) {
  float v[1] = {1.0f};
  EXPECT_EQ(run_on(unregistered_op, SNN_DEVICE_CPU, ScaleArgs{v, 1, 2.0f}, 1), SNN_ERROR_UNSUPPORTED);
  EXPECT_EQ(std::string(snn::last_error_message()), "test_entry: unregistered has no kernel in this build (asked for CPU)");
  EXPECT_EQ(v[0], 1.0f);
}

TEST(Dispatch, AnUnknownDeviceKindIsATypedError) {
  float v[1] = {1.0f};
  for (int32_t kind : {-1, 2, 77}) {
    EXPECT_EQ(scale_op.kernel(kind), nullptr) << kind;
    EXPECT_EQ(run_on(scale_op, kind, ScaleArgs{v, 1, 2.0f}, 1), SNN_ERROR_UNSUPPORTED) << kind;
    EXPECT_NE(std::string(snn::last_error_message()).find("scale has no kind " + std::to_string(kind) + " kernel"),
              std::string::npos)
        << snn::last_error_message();
  }
  EXPECT_EQ(v[0], 1.0f);
}
