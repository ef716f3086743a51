// The bad-ABI fixture (build/test-fixtures/bad-abi/libsnn.so) says what the .NET tests rely on.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

TEST(BadAbiFixture, ClaimsAnIncompatibleVersion) {
  void* lib = dlopen(SNN_TEST_BAD_ABI_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  auto api_version = reinterpret_cast<uint32_t (*)(void)>(dlsym(lib, "snn_api_version"));
  auto supports = reinterpret_cast<int32_t (*)(uint32_t)>(dlsym(lib, "snn_supports_api_version"));
  auto version = reinterpret_cast<const char* (*)(void)>(dlsym(lib, "snn_version_string"));
  auto message = reinterpret_cast<const char* (*)(void)>(dlsym(lib, "snn_last_error_message"));
  ASSERT_TRUE(api_version && supports && version && message);
  EXPECT_EQ(api_version(), 999u);
  EXPECT_EQ(supports(1), 0);
  EXPECT_EQ(supports(999), 0);
  EXPECT_NE(std::strlen(version()), 0u);
  EXPECT_STREQ(message(), "");
  EXPECT_EQ(dlsym(lib, "snn_device_create"), nullptr) << "the fixture must not look like a usable libsnn";
  dlclose(lib);
}
