// Library and ABI versions. SNN_VERSION_STRING comes from project(VERSION) in CMake.
#pragma once

#include <cstdint>

#include "snn/status.h"

#ifndef SNN_VERSION_STRING
#error "SNN_VERSION_STRING must be defined by the build"
#endif

namespace snn {
inline constexpr uint32_t kApiVersion = SNN_API_VERSION;
inline constexpr const char* kVersionString = SNN_VERSION_STRING;

// The ABI grows between breaks. Version 2 broke it (entry points renamed by what they compute,
// listed in docs/c-abi.md), so this library
// serves callers built against any version from 2 up to its own.
inline constexpr uint32_t kOldestApiVersion = 2;
constexpr bool supports_api_version(uint32_t version) {
  return version >= kOldestApiVersion && version <= kApiVersion;
}
}  // namespace snn
