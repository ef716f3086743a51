#include "core/error.h"

#include <cstring>

namespace snn {

namespace {
constexpr size_t kMessageCapacity = 2048;
thread_local char t_last_error[kMessageCapacity] = {0};

// Appends `text` at `pos`, never past the buffer; returns the new length.
size_t append(size_t pos, const char* text) noexcept {
  if (text == nullptr) return pos;
  const size_t room = kMessageCapacity - 1 - pos;
  size_t n = std::strlen(text);
  if (n > room) {
    n = room;
    // Do not cut a multi-byte UTF-8 sequence: back off over continuation bytes (10xxxxxx)
    // and the lead byte that started the cut sequence.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0u) == 0x80u) --n;
  }
  std::memcpy(t_last_error + pos, text, n);
  return pos + n;
}
}  // namespace

void fail(snn_status status, std::string message) { throw Error(status, std::move(message)); }

void set_last_error(const char* function, const char* message, const char* detail) noexcept {
  size_t pos = 0;
  if (function != nullptr) {
    pos = append(pos, function);
    pos = append(pos, ": ");
  }
  pos = append(pos, message);
  pos = append(pos, detail);
  t_last_error[pos] = '\0';
}

const char* last_error_message() noexcept { return t_last_error; }

const char* status_name(int32_t status) noexcept {
  switch (status) {
    case SNN_OK: return "SNN_OK";
    case SNN_ERROR_INVALID_ARGUMENT: return "SNN_ERROR_INVALID_ARGUMENT";
    case SNN_ERROR_OUT_OF_MEMORY: return "SNN_ERROR_OUT_OF_MEMORY";
    case SNN_ERROR_DEVICE_UNAVAILABLE: return "SNN_ERROR_DEVICE_UNAVAILABLE";
    case SNN_ERROR_DEVICE_MISMATCH: return "SNN_ERROR_DEVICE_MISMATCH";
    case SNN_ERROR_BACKEND: return "SNN_ERROR_BACKEND";
    case SNN_ERROR_UNSUPPORTED: return "SNN_ERROR_UNSUPPORTED";
    case SNN_ERROR_INTERNAL: return "SNN_ERROR_INTERNAL";
  }
  return "SNN_STATUS_UNKNOWN";
}

}  // namespace snn
