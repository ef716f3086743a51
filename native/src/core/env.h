// Environment switches of the CPU kernels (SNN_LINEAR_PATH, SNN_CONV_PATH): read on every call, so
// tests can force a path for one scope.
#pragma once

#include <cstdlib>
#include <cstring>

namespace snn {

// Whether environment variable `name` is set to exactly `value`.
inline bool env_is(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, value) == 0;
}

}  // namespace snn
