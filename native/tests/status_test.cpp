// Versioning, status names and the thread-local error message.
#include <string>
#include <thread>

#include "test_util.h"

using namespace snn_test;

TEST(Version, ApiVersionIsTheHeaderVersion) {
  EXPECT_EQ(snn_api_version(), static_cast<uint32_t>(SNN_API_VERSION));
  EXPECT_EQ(snn_api_version(), 2u);
}

TEST(Version, SupportsEveryVersionSinceTheLastBreakUpToItsOwn) {
  EXPECT_EQ(snn_supports_api_version(0), 0);
  EXPECT_EQ(snn_supports_api_version(1), 0);  // version 2 renamed and removed entry points
  EXPECT_EQ(snn_supports_api_version(2), 1);
  EXPECT_EQ(snn_supports_api_version(SNN_API_VERSION), 1);
  EXPECT_EQ(snn_supports_api_version(SNN_API_VERSION + 1), 0);
  EXPECT_EQ(snn_supports_api_version(999), 0);
}

TEST(Version, VersionString) { EXPECT_STREQ(snn_version_string(), "0.1.0"); }

TEST(Status, NamesOfEveryStatus) {
  EXPECT_STREQ(snn_status_name(SNN_OK), "SNN_OK");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_INVALID_ARGUMENT), "SNN_ERROR_INVALID_ARGUMENT");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_OUT_OF_MEMORY), "SNN_ERROR_OUT_OF_MEMORY");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_DEVICE_UNAVAILABLE), "SNN_ERROR_DEVICE_UNAVAILABLE");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_DEVICE_MISMATCH), "SNN_ERROR_DEVICE_MISMATCH");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_BACKEND), "SNN_ERROR_BACKEND");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_UNSUPPORTED), "SNN_ERROR_UNSUPPORTED");
  EXPECT_STREQ(snn_status_name(SNN_ERROR_INTERNAL), "SNN_ERROR_INTERNAL");
  EXPECT_STREQ(snn_status_name(static_cast<snn_status>(42)), "SNN_STATUS_UNKNOWN");
}

TEST(LastError, EmptyOnAFreshThread) {
  std::string seen = "not run";
  std::thread([&] { seen = snn_last_error_message(); }).join();
  EXPECT_EQ(seen, "");
}

TEST(LastError, IsPerThreadAndNamesTheFunction) {
  int32_t* null_count = nullptr;
  ASSERT_EQ(snn_device_count(SNN_DEVICE_CPU, null_count), SNN_ERROR_INVALID_ARGUMENT);
  const std::string mine = snn_last_error_message();
  EXPECT_EQ(mine.rfind("snn_device_count: ", 0), 0u) << mine;
  EXPECT_NE(mine.find("out_count is NULL"), std::string::npos) << mine;

  std::string other;
  std::thread([&] {
    snn_device* d = nullptr;
    EXPECT_EQ(snn_device_create(SNN_DEVICE_CPU, 5, &d), SNN_ERROR_DEVICE_UNAVAILABLE);
    other = snn_last_error_message();
  }).join();
  EXPECT_NE(other.find("snn_device_create"), std::string::npos) << other;
  EXPECT_EQ(std::string(snn_last_error_message()), mine) << "another thread's failure changed this thread's message";
}

TEST(LastError, SurvivesSuccessfulCallsUntilTheNextFailure) {
  snn_device* d = nullptr;
  ASSERT_EQ(snn_device_create(SNN_DEVICE_CPU, -1, &d), SNN_ERROR_INVALID_ARGUMENT);
  const std::string first = snn_last_error_message();
  int32_t n = 0;
  ASSERT_EQ(snn_device_count(SNN_DEVICE_CPU, &n), SNN_OK);
  EXPECT_EQ(std::string(snn_last_error_message()), first);
  ASSERT_EQ(snn_device_count(static_cast<snn_device_kind>(9), &n), SNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(snn_last_error_message()), first);
}
