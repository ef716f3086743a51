#include "core/format.h"

namespace snn {

std::string shape_string(int32_t rank, const int64_t* shape) {
  std::string s = "[";
  for (int32_t i = 0; i < rank; ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace snn

namespace snn {
void copy_utf8(char* dst, size_t capacity, const char* src) noexcept {
  if (capacity == 0) return;
  size_t n = 0;
  while (src[n] != '\0' && n < capacity - 1) ++n;
  if (src[n] != '\0') {
    while (n > 0 && (static_cast<unsigned char>(src[n]) & 0xC0u) == 0x80u) --n;  // drop a cut sequence
  }
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  dst[n] = '\0';
}
}  // namespace snn
