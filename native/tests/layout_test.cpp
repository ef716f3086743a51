// The struct layouts, enum values and macros the C# bindings were generated with
// (tools/bindgen -> generated/layout_expectations.g.h) hold for the compiler that builds
// libsnn: that header is all static_asserts, so a disagreement fails the build, here in
// C++17 and in layout_check.c in C11.
#include "layout_expectations.g.h"

#include <gtest/gtest.h>

extern "C" int snn_layout_checked_in_c11(void);

TEST(Layout, MatchesTheCSharpBindings) {
  EXPECT_EQ(sizeof(snn_device_info), static_cast<size_t>(4 * 4 + 8 + SNN_DEVICE_NAME_CAPACITY));
  EXPECT_EQ(snn_layout_checked_in_c11(), 1);
}
