// Builds error messages from mixed values: snn::str("got ", 3, " of ", shape_text).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <sstream>
#include <string>

namespace snn {

template <class... Args>
std::string str(const Args&... args) {
  std::ostringstream out;
  out << std::setprecision(9);
  (out << ... << args);
  return out.str();
}

// "[2, 3, 4]"
std::string shape_string(int32_t rank, const int64_t* shape);

}  // namespace snn

namespace snn {
// Copies the NUL-terminated UTF-8 `src` into dst[capacity], truncating on a character
// boundary, always NUL-terminated.
void copy_utf8(char* dst, size_t capacity, const char* src) noexcept;
}  // namespace snn
