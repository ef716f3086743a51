// Tensors: creation, views, transfers, copies, fills, lifetime and their error paths.
#include <cmath>
#include <limits>

#include "test_util.h"

using namespace snn_test;

namespace {
snn_tensor* const kUntouchedTensor = reinterpret_cast<snn_tensor*>(uintptr_t{0x5678});
}

class Tensors : public BackendTest {};

TEST_P(Tensors, CreateIsZeroFilledWithInfo) {
  Tensor t = tensor({2, 3, 4});
  snn_tensor_info info;
  std::memset(&info, 0x55, sizeof info);
  ASSERT_EQ(snn_tensor_get_info(t.get(), &info), SNN_OK);
  EXPECT_EQ(info.dtype, SNN_DTYPE_FLOAT32);
  EXPECT_EQ(info.rank, 3);
  EXPECT_EQ(info.shape[0], 2);
  EXPECT_EQ(info.shape[2], 4);
  for (int i = 3; i < SNN_MAX_RANK; ++i) EXPECT_EQ(info.shape[i], 0);
  EXPECT_EQ(info.numel, 24);
  EXPECT_EQ(info.nbytes, 96);
  EXPECT_EQ(info.device_kind, GetParam());
  EXPECT_EQ(info.device_ordinal, 0);
  for (float x : read(t.get())) EXPECT_EQ(bits(x), 0u);
}

TEST_P(Tensors, ScalarsAndEmptyTensors) {
  Tensor s = tensor({});
  EXPECT_EQ(numel(s.get()), 1);
  ASSERT_EQ(snn_tensor_fill(s.get(), 4.5), SNN_OK);
  EXPECT_EQ(read(s.get()), std::vector<float>{4.5f});

  Tensor e = tensor({0, 3});
  snn_tensor_info info{};
  ASSERT_EQ(snn_tensor_get_info(e.get(), &info), SNN_OK);
  EXPECT_EQ(info.numel, 0);
  EXPECT_EQ(info.nbytes, 0);
  EXPECT_EQ(snn_tensor_fill(e.get(), 1.0), SNN_OK);
  EXPECT_EQ(snn_tensor_upload(e.get(), nullptr, 0), SNN_OK);
  EXPECT_EQ(snn_tensor_download(e.get(), nullptr, 0), SNN_OK);
}

TEST_P(Tensors, EveryDtype) {
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_FLOAT32), 4u);
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_FLOAT64), 8u);
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_INT32), 4u);
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_INT64), 8u);
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_UINT8), 1u);
  EXPECT_EQ(snn_dtype_size(SNN_DTYPE_UINT32), 4u);
  EXPECT_EQ(snn_dtype_size(static_cast<snn_dtype>(6)), 0u);

  Tensor f64 = tensor({3}, SNN_DTYPE_FLOAT64);
  ASSERT_EQ(snn_tensor_fill(f64.get(), 0.1), SNN_OK);
  double d[3];
  ASSERT_EQ(snn_tensor_download(f64.get(), d, sizeof d), SNN_OK);
  EXPECT_EQ(d[2], 0.1);

  Tensor i32 = tensor({5}, SNN_DTYPE_INT32);
  ASSERT_EQ(snn_tensor_fill(i32.get(), -2147483648.0), SNN_OK);
  int32_t i[5];
  ASSERT_EQ(snn_tensor_download(i32.get(), i, sizeof i), SNN_OK);
  EXPECT_EQ(i[4], std::numeric_limits<int32_t>::min());

  Tensor i64 = tensor({2}, SNN_DTYPE_INT64);
  ASSERT_EQ(snn_tensor_fill(i64.get(), -1099511627776.0), SNN_OK);
  int64_t l[2];
  ASSERT_EQ(snn_tensor_download(i64.get(), l, sizeof l), SNN_OK);
  EXPECT_EQ(l[1], -(int64_t{1} << 40));

  Tensor u8 = tensor({7}, SNN_DTYPE_UINT8);
  ASSERT_EQ(snn_tensor_fill(u8.get(), 255), SNN_OK);
  uint8_t b[7];
  ASSERT_EQ(snn_tensor_download(u8.get(), b, sizeof b), SNN_OK);
  EXPECT_EQ(b[6], 255);

  Tensor u32 = tensor({2}, SNN_DTYPE_UINT32);
  ASSERT_EQ(snn_tensor_fill(u32.get(), 4294967295.0), SNN_OK);
  uint32_t u[2];
  ASSERT_EQ(snn_tensor_download(u32.get(), u, sizeof u), SNN_OK);
  EXPECT_EQ(u[1], 4294967295u);

  Tensor f32 = tensor({3});
  ASSERT_EQ(snn_tensor_fill(f32.get(), -std::numeric_limits<double>::infinity()), SNN_OK);
  EXPECT_TRUE(std::isinf(read(f32.get())[1]));
}

TEST_P(Tensors, FillRejectsValuesTheDtypeCannotHold) {
  Tensor i32 = tensor({4}, SNN_DTYPE_INT32);
  ASSERT_EQ(snn_tensor_fill(i32.get(), 9), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(i32.get(), 2.5), "2.5 cannot be stored in int32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(i32.get(), std::nan("")), "int32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(i32.get(), 2147483648.0), "int32");
  Tensor u8 = tensor({4}, SNN_DTYPE_UINT8);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(u8.get(), 256), "uint8");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(u8.get(), -1), "uint8");
  Tensor u32 = tensor({4}, SNN_DTYPE_UINT32);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(u32.get(), std::numeric_limits<double>::infinity()), "uint32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_fill(nullptr, 1), "tensor is NULL");
  int32_t v[4];
  ASSERT_EQ(snn_tensor_download(i32.get(), v, sizeof v), SNN_OK);
  for (int32_t x : v) EXPECT_EQ(x, 9);
}

TEST_P(Tensors, CreateRejectsBadShapesAndDtypes) {
  snn_tensor* t = kUntouchedTensor;
  const int64_t neg[2] = {2, -1};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, 2, neg, &t),
               "negative extent at dimension 1");
  const int64_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, 9, nine, &t),
               "rank must be in [0, 8], got 9");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, -1, nine, &t), "got -1");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, 2, nullptr, &t),
               "shape is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), static_cast<snn_dtype>(17), 1, nine, &t),
               "unknown dtype 17");
  const int64_t huge[3] = {int64_t{1} << 30, int64_t{1} << 30, 1 << 10};
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, 3, huge, &t), "too large");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(nullptr, SNN_DTYPE_FLOAT32, 1, nine, &t), "device is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_create(device(), SNN_DTYPE_FLOAT32, 1, nine, nullptr),
               "out_tensor is NULL");
  EXPECT_EQ(t, kUntouchedTensor);
}

TEST_P(Tensors, ImpossibleAllocationIsOutOfMemory) {
  snn_tensor* t = kUntouchedTensor;
  const int64_t shape[1] = {int64_t{1} << 60};  // 4 EiB of uint8: addressable, not allocatable
  EXPECT_FAILS(SNN_ERROR_OUT_OF_MEMORY, snn_tensor_create(device(), SNN_DTYPE_UINT8, 1, shape, &t), "release unused tensors");
  EXPECT_EQ(t, kUntouchedTensor);
}

TEST_P(Tensors, UploadDownloadRoundTrip) {
  const std::vector<float> values = pseudo_random(1000, -5, 5, 1);
  Tensor t = tensor({10, 100}, values);
  EXPECT_TRUE(bitwise_equal(values, read(t.get())));
}

TEST_P(Tensors, TransferErrorsLeaveBothSidesUntouched) {
  Tensor t = filled({4}, kSentinel);
  std::vector<float> host(5, 1.0f);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_upload(t.get(), host.data(), 20),
               "nbytes is 20 but float32 [4]", "holds 16 bytes");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_upload(t.get(), nullptr, 16), "source is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_upload(nullptr, host.data(), 16), "tensor is NULL");
  EXPECT_TRUE(untouched(t.get()));
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_download(t.get(), host.data(), 12), "nbytes is 12");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_download(t.get(), nullptr, 16), "destination is NULL");
  for (float x : host) EXPECT_EQ(x, 1.0f);
}

// snn_tensor_swap_leading_axes: output[j, i, k] = input[i, j, k] element by element; bad shapes,
// ranks and overlapping outputs are rejected with the output untouched.
TEST_P(Tensors, SwapLeadingAxesExchangesTheFirstTwoAxes) {
  const int64_t A = 5, Bn = 3, K = 7;
  std::vector<float> values(static_cast<size_t>(A * Bn * K));
  for (size_t e = 0; e < values.size(); ++e) values[e] = static_cast<float>(e);
  Tensor x = make_tensor(device(), {A, Bn, K}, values);
  Tensor y = make_tensor(device(), {Bn, A, K});
  ASSERT_EQ(snn_tensor_swap_leading_axes(x.get(), y.get()), SNN_OK) << last_error();
  const std::vector<float> got = read(y.get());
  for (int64_t i = 0; i < A; ++i)
    for (int64_t j = 0; j < Bn; ++j)
      for (int64_t k = 0; k < K; ++k) ASSERT_EQ(got[static_cast<size_t>((j * A + i) * K + k)], values[static_cast<size_t>((i * Bn + j) * K + k)]);
  Tensor back = make_tensor(device(), {A, Bn, K});
  ASSERT_EQ(snn_tensor_swap_leading_axes(y.get(), back.get()), SNN_OK) << last_error();
  EXPECT_EQ(read(back.get()), values);
  Tensor wrong = make_tensor(device(), {A, Bn, K});
  ASSERT_EQ(snn_tensor_fill(wrong.get(), -1.0), SNN_OK);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_swap_leading_axes(x.get(), wrong.get()),
               "first two dimensions exchanged");
  Tensor flat = make_tensor(device(), {A});
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_swap_leading_axes(flat.get(), flat.get()), "at least two axes");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_swap_leading_axes(x.get(), nullptr), "output");
  for (const float v : read(wrong.get())) EXPECT_EQ(v, -1.0f);
}

TEST_P(Tensors, CopyWithinTheDevice) {
  const std::vector<float> values = pseudo_random(24, 0, 1, 2);
  Tensor a = tensor({2, 12}, values);
  Tensor b = tensor({4, 6});  // same element count, other shape: allowed
  ASSERT_EQ(snn_tensor_copy(b.get(), a.get()), SNN_OK) << last_error();
  EXPECT_TRUE(bitwise_equal(values, read(b.get())));
  ASSERT_EQ(snn_tensor_copy(a.get(), a.get()), SNN_OK);  // onto itself: a no-op
  EXPECT_TRUE(bitwise_equal(values, read(a.get())));
}

TEST_P(Tensors, CopyErrors) {
  Tensor a = tensor({4});
  Tensor b = filled({5}, kSentinel);
  Tensor c = tensor({5}, SNN_DTYPE_INT32);
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_copy(b.get(), a.get()), "same dtype and element count");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_copy(b.get(), c.get()), "int32");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_copy(b.get(), nullptr), "source is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_copy(nullptr, b.get()), "destination is NULL");
  EXPECT_TRUE(untouched(b.get()));
}

TEST_P(Tensors, HostData) {
  Tensor t = tensor({3});
  void* p = reinterpret_cast<void*>(uintptr_t{0x99});
  if (GetParam() == SNN_DEVICE_CPU) {
    ASSERT_EQ(snn_tensor_host_data(t.get(), &p), SNN_OK);
    static_cast<float*>(p)[1] = 2.0f;
    EXPECT_EQ(read(t.get())[1], 2.0f);
  } else {
    EXPECT_FAILS(SNN_ERROR_UNSUPPORTED, snn_tensor_host_data(t.get(), &p), "use snn_tensor_download");
    EXPECT_EQ(p, reinterpret_cast<void*>(uintptr_t{0x99}));
  }
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT, snn_tensor_host_data(t.get(), nullptr), "out_data is NULL");
}

TEST_P(Tensors, ViewsBorrowHostMemoryOnCpuOnly) {
  alignas(8) float buffer[6] = {1, 2, 3, 4, 5, 6};
  const int64_t shape[2] = {2, 3};
  snn_tensor* v = kUntouchedTensor;
  if (GetParam() != SNN_DEVICE_CPU) {
    EXPECT_FAILS(SNN_ERROR_UNSUPPORTED,
                 snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, buffer, sizeof buffer, &v),
                 "CPU devices only");
    EXPECT_EQ(v, kUntouchedTensor);
    return;
  }
  ASSERT_EQ(snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, buffer, sizeof buffer, &v), SNN_OK);
  Tensor view(v);
  void* p = nullptr;
  ASSERT_EQ(snn_tensor_host_data(view.get(), &p), SNN_OK);
  EXPECT_EQ(p, buffer);
  ASSERT_EQ(snn_tensor_fill(view.get(), 7.0), SNN_OK);
  EXPECT_EQ(buffer[5], 7.0f);
  buffer[0] = -1.0f;
  EXPECT_EQ(read(view.get())[0], -1.0f);
}

class CpuViews : public CpuTest {};

TEST_F(CpuViews, Errors) {
  alignas(8) float buffer[6] = {};
  const int64_t shape[2] = {2, 3};
  snn_tensor* v = kUntouchedTensor;
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, buffer, sizeof buffer - 1, &v),
               "view too small", "needs 24 bytes but capacity_bytes is 23");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, nullptr, sizeof buffer, &v), "data is NULL");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 1, shape,
                                      reinterpret_cast<char*>(buffer) + 2, 16, &v),
               "not aligned");
  EXPECT_FAILS(SNN_ERROR_INVALID_ARGUMENT,
               snn_tensor_create_view(device(), SNN_DTYPE_FLOAT32, 2, shape, buffer, sizeof buffer, nullptr),
               "out_tensor is NULL");
  EXPECT_EQ(v, kUntouchedTensor);
}

TEST_P(Tensors, TensorsKeepTheirDeviceAlive) {
  snn_device* d = nullptr;
  ASSERT_EQ(snn_device_create(GetParam(), 0, &d), SNN_OK);
  snn_tensor* t = nullptr;
  const int64_t shape[1] = {5};
  ASSERT_EQ(snn_tensor_create(d, SNN_DTYPE_FLOAT32, 1, shape, &t), SNN_OK);
  snn_device_release(d);  // the device goes first ...
  ASSERT_EQ(snn_tensor_fill(t, 3.0), SNN_OK) << last_error();  // ... and the tensor still works
  float out[5];
  ASSERT_EQ(snn_tensor_download(t, out, sizeof out), SNN_OK);
  EXPECT_EQ(out[4], 3.0f);
  snn_tensor_info info{};
  ASSERT_EQ(snn_tensor_get_info(t, &info), SNN_OK);
  EXPECT_EQ(info.device_kind, GetParam());
  snn_tensor_release(t);  // releases the device too (leak-checked under SNN_SANITIZE)
  snn_tensor_release(nullptr);
}

TEST_P(Tensors, UninitializedTensorsHaveTheirShapeAndTakeWrites) {
  snn_tensor* t = nullptr;
  const int64_t shape[2] = {1000, 1000};
  ASSERT_EQ(snn_tensor_create_uninitialized(device(), SNN_DTYPE_FLOAT32, 2, shape, &t), SNN_OK) << last_error();
  EXPECT_EQ(numel(t), 1000000);
  ASSERT_EQ(snn_tensor_fill(t, 2.5), SNN_OK);
  for (float x : read(t)) ASSERT_EQ(x, 2.5f);
  snn_tensor_release(t);
  const int64_t bad[1] = {-1};
  snn_tensor* out = kUntouchedTensor;
  EXPECT_EQ(snn_tensor_create_uninitialized(device(), SNN_DTYPE_FLOAT32, 1, bad, &out), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(snn_tensor_create_uninitialized(nullptr, SNN_DTYPE_FLOAT32, 1, shape, &out), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, kUntouchedTensor);
}

TEST_P(Tensors, SubviewsShareMemoryAndOutliveTheirBase) {
  snn_tensor* base = tensor({3, 2}, {0, 1, 2, 3, 4, 5}).release();
  const int64_t rows[2] = {2, 2}, flat[1] = {6};
  snn_tensor* tail = nullptr;
  snn_tensor* reshaped = nullptr;
  ASSERT_EQ(snn_tensor_create_subview(base, 2, 2, rows, &tail), SNN_OK) << last_error();
  ASSERT_EQ(snn_tensor_create_subview(base, 0, 1, flat, &reshaped), SNN_OK) << last_error();
  EXPECT_EQ(read(tail), (std::vector<float>{2, 3, 4, 5}));
  ASSERT_EQ(snn_tensor_fill(tail, 9.0), SNN_OK);  // writes through to the base ...
  EXPECT_EQ(read(reshaped), (std::vector<float>{0, 1, 9, 9, 9, 9}));
  snn_tensor* of_view = nullptr;
  const int64_t one[1] = {1};
  ASSERT_EQ(snn_tensor_create_subview(tail, 3, 1, one, &of_view), SNN_OK);
  snn_tensor_release(base);  // ... and the views keep the memory alive
  snn_tensor_release(tail);
  EXPECT_EQ(read(of_view), (std::vector<float>{9}));
  EXPECT_EQ(read(reshaped)[5], 9.0f);
  snn_tensor_release(of_view);
  snn_tensor_release(reshaped);
}

TEST_P(Tensors, SubviewsMustFit) {
  Tensor t = tensor({4});
  const int64_t three[1] = {3};
  snn_tensor* out = kUntouchedTensor;
  EXPECT_EQ(snn_tensor_create_subview(t.get(), 2, 1, three, &out), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("does not fit"), std::string::npos) << last_error();
  EXPECT_EQ(snn_tensor_create_subview(t.get(), -1, 1, three, &out), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(snn_tensor_create_subview(nullptr, 0, 1, three, &out), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(out, kUntouchedTensor);
}

TEST_P(Tensors, AddAccumulatesElementwise) {
  const int n = 100003;  // large enough for the threaded path
  std::vector<float> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[i] = 0.5f * static_cast<float>(i);
    b[i] = 1.0f - static_cast<float>(i % 7);
  }
  Tensor ta = tensor({n}, a), tb = tensor({n}, b);
  ASSERT_EQ(snn_tensor_add(ta.get(), tb.get()), SNN_OK) << last_error();
  const std::vector<float> sum = read(ta.get());
  for (int i = 0; i < n; ++i) ASSERT_EQ(sum[i], a[i] + b[i]) << i;
  EXPECT_EQ(read(tb.get()), b);
}

TEST_P(Tensors, AddRejectsMismatches) {
  Tensor a = tensor({2, 3}), b = tensor({3, 2}), i = tensor({2, 3}, SNN_DTYPE_INT32);
  EXPECT_EQ(snn_tensor_add(a.get(), b.get()), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("shape"), std::string::npos) << last_error();
  EXPECT_EQ(snn_tensor_add(a.get(), i.get()), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(snn_tensor_add(a.get(), a.get()), SNN_ERROR_INVALID_ARGUMENT);
}

SNN_INSTANTIATE_BACKENDS(Tensors);
