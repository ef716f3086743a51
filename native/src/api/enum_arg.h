// Enum parameters of the C ABI as plain integers.
//
// A C or C# caller may pass any 32-bit value in an enum parameter (snn_status_name(42)). In
// C++ an enum without a fixed underlying type only has the values of its enumerators'
// range, so even reading such a parameter as the enum would be undefined behaviour. The
// entry points therefore take the parameter's bytes as an int32_t and validate that.
#pragma once

#include <cstdint>
#include <cstring>

#include "snn/snn.h"

namespace snn::api {

template <class Enum>
int32_t enum_arg(const Enum& value) noexcept {
  static_assert(sizeof(Enum) == sizeof(int32_t), "C ABI enums are passed as 32-bit integers");
  int32_t raw;
  std::memcpy(&raw, &value, sizeof raw);
  return raw;
}

}  // namespace snn::api
