// Devices: discovery, creation, information, thread settings and the no-GPU behaviour.
#include <thread>

#include "test_util.h"

using namespace snn_test;

TEST(Device, KindsBuilt) {
  EXPECT_EQ(snn_device_kind_is_built(SNN_DEVICE_CPU), 1);
  EXPECT_EQ(snn_device_kind_is_built(SNN_DEVICE_CUDA), SNN_TEST_CUDA_BUILT);
  EXPECT_EQ(snn_device_kind_is_built(static_cast<snn_device_kind>(7)), 0);
}

TEST(Device, Count) {
  int32_t n = -1;
  ASSERT_EQ(snn_device_count(SNN_DEVICE_CPU, &n), SNN_OK);
  EXPECT_EQ(n, 1);
  n = -1;
  ASSERT_EQ(snn_device_count(SNN_DEVICE_CUDA, &n), SNN_OK);
  EXPECT_GE(n, 0);
  if (!SNN_TEST_CUDA_BUILT) {
    EXPECT_EQ(n, 0);
  }
  n = -1;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_count(static_cast<snn_device_kind>(3), &n), "unknown device kind 3");
  EXPECT_EQ(n, -1);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_count(SNN_DEVICE_CPU, nullptr), "out_count is NULL");
}

TEST(Device, CreateErrorsLeaveTheOutputUntouched) {
  snn_device* const kUntouched = reinterpret_cast<snn_device*>(uintptr_t{0x1234});
  snn_device* d = kUntouched;
  EXPECT_FAILS(SNN_ERROR_DEVICE_UNAVAILABLE, snn_device_create(SNN_DEVICE_CPU, 1, &d), "one CPU device");
  EXPECT_EQ(d, kUntouched);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_create(SNN_DEVICE_CPU, -1, &d), "ordinal must be >= 0");
  EXPECT_EQ(d, kUntouched);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_create(static_cast<snn_device_kind>(5), 0, &d), "unknown device kind");
  EXPECT_EQ(d, kUntouched);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_create(SNN_DEVICE_CPU, 0, nullptr), "out_device is NULL");
}

TEST(Device, CudaUnavailableIsAClearError) {
  if (has_gpu()) {
    int32_t n = 0;
    ASSERT_EQ(snn_device_count(SNN_DEVICE_CUDA, &n), SNN_OK);
    snn_device* d = nullptr;
    EXPECT_FAILS(SNN_ERROR_DEVICE_UNAVAILABLE, snn_device_create(SNN_DEVICE_CUDA, n, &d), "does not exist");
    EXPECT_EQ(d, nullptr);
    return;
  }
  snn_device* d = nullptr;
  if (SNN_TEST_CUDA_BUILT) {
    EXPECT_FAILS(SNN_ERROR_DEVICE_UNAVAILABLE, snn_device_create(SNN_DEVICE_CUDA, 0, &d), "no CUDA GPU found",
                 "SNN_DEVICE_CPU");
  } else {
    EXPECT_FAILS(SNN_ERROR_DEVICE_UNAVAILABLE, snn_device_create(SNN_DEVICE_CUDA, 0, &d),
                 "CUDA support was not compiled in", "SNN_DEVICE_CPU");
  }
  EXPECT_EQ(d, nullptr);
}

TEST(Device, CpuInfo) {
  Device d = open_device(SNN_DEVICE_CPU);
  snn_device_info info;
  std::memset(&info, 0x7f, sizeof info);
  ASSERT_EQ(snn_device_get_info(d.get(), &info), SNN_OK);
  EXPECT_EQ(info.kind, SNN_DEVICE_CPU);
  EXPECT_EQ(info.ordinal, 0);
  EXPECT_GE(info.num_threads, 1);
  EXPECT_EQ(info.compute_capability, 0);
  EXPECT_GT(info.total_memory_bytes, int64_t{1} << 20);
  const size_t len = strnlen(info.name, SNN_DEVICE_NAME_CAPACITY);
  EXPECT_LT(len, static_cast<size_t>(SNN_DEVICE_NAME_CAPACITY));
  EXPECT_GT(len, 0u);
}

TEST(Device, InfoErrors) {
  Device d = open_device(SNN_DEVICE_CPU);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_get_info(d.get(), nullptr), "out_info is NULL");
  snn_device_info info{};
  info.ordinal = 77;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_get_info(nullptr, &info), "device is NULL");
  EXPECT_EQ(info.ordinal, 77);
}

TEST(Device, NumThreads) {
  Device d = open_device(SNN_DEVICE_CPU);
  snn_device_info info{};
  ASSERT_EQ(snn_device_set_num_threads(d.get(), 3), SNN_OK);
  ASSERT_EQ(snn_device_get_info(d.get(), &info), SNN_OK);
  EXPECT_EQ(info.num_threads, 3);
  ASSERT_EQ(snn_device_set_num_threads(d.get(), 0), SNN_OK);
  ASSERT_EQ(snn_device_get_info(d.get(), &info), SNN_OK);
  EXPECT_EQ(static_cast<unsigned>(info.num_threads), std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_set_num_threads(d.get(), -1), "num_threads must be in [0, 1024], got -1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_set_num_threads(d.get(), 100000), "got 100000");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_set_num_threads(nullptr, 1), "device is NULL");
  ASSERT_EQ(snn_device_get_info(d.get(), &info), SNN_OK);
  EXPECT_GE(info.num_threads, 1);
}

TEST(Device, SynchronizeAndRelease) {
  Device d = open_device(SNN_DEVICE_CPU);
  EXPECT_EQ(snn_device_synchronize(d.get()), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_synchronize(nullptr), "device is NULL");
  snn_device_release(nullptr);  // ignored
}

TEST(Device, AHandleOfTheWrongTypeIsRejected) {
  Device d = open_device(SNN_DEVICE_CPU);
  Tensor t = make_tensor(d.get(), {2});
  // A tensor handle passed where a device is expected (easy to do through IntPtr in C#).
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_synchronize(reinterpret_cast<snn_device*>(t.get())),
               "not a live snn_device handle");
  snn_tensor_info info{};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_get_info(reinterpret_cast<snn_tensor*>(d.get()), &info),
               "not a live snn_tensor handle");
}

// Large freed blocks are kept and reused (no fresh page faults); reused memory is still zeroed by
// snn_tensor_create; releasing the cache gives the bytes back once.
TEST(Device, LargeBlocksAreReusedAndCanBeReleased) {
  Device d = open_device(SNN_DEVICE_CPU);
  ASSERT_EQ(snn_device_release_cached_memory(d.get(), nullptr), SNN_OK) << last_error();
  const int64_t n = int64_t{3} << 20;  // 12 MiB of float32
  void* first = nullptr;
  {
    Tensor t = make_tensor(d.get(), {n});
    ASSERT_EQ(snn_tensor_host_data(t.get(), &first), SNN_OK) << last_error();
    ASSERT_EQ(snn_tensor_fill(t.get(), 7.0), SNN_OK) << last_error();
  }
  {
    Tensor t = make_tensor(d.get(), {n - 1000});  // within a quarter of the cached size: same block
    void* again = nullptr;
    ASSERT_EQ(snn_tensor_host_data(t.get(), &again), SNN_OK) << last_error();
    EXPECT_EQ(again, first);
    std::vector<float> values(static_cast<size_t>(n - 1000), -1.0f);
    ASSERT_EQ(snn_tensor_download(t.get(), values.data(), values.size() * sizeof(float)), SNN_OK) << last_error();
    for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], 0.0f) << "element " << i;
  }
  {
    Tensor t = make_tensor(d.get(), {n / 2});  // half the size: too small to take the cached block
    void* other = nullptr;
    ASSERT_EQ(snn_tensor_host_data(t.get(), &other), SNN_OK) << last_error();
    EXPECT_NE(other, first);
  }
  int64_t released = -1;
  ASSERT_EQ(snn_device_release_cached_memory(d.get(), &released), SNN_OK) << last_error();
  EXPECT_GE(released, n * 4 + n * 2);  // both blocks, each rounded up to whole 2 MiB pages
  ASSERT_EQ(snn_device_release_cached_memory(d.get(), &released), SNN_OK) << last_error();
  EXPECT_EQ(released, 0);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_device_release_cached_memory(nullptr, &released), "device is NULL");
}
