// snn::Error and the thread-local last-error message behind snn_last_error_message().
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "snn/status.h"

namespace snn {

// The one exception type the library throws on purpose. The API guard turns it into its
// status and stores "<function>: <message>" for the calling thread.
class Error : public std::exception {
 public:
  Error(snn_status status, std::string message) : status_(status), message_(std::move(message)) {}
  snn_status status() const noexcept { return status_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  snn_status status_;
  std::string message_;
};

[[noreturn]] void fail(snn_status status, std::string message);

// Stores "<function>: <message><detail>" as this thread's last error. Never allocates and
// never throws: the message lives in a fixed thread-local buffer, truncated on a UTF-8
// character boundary when too long.
void set_last_error(const char* function, const char* message, const char* detail = nullptr) noexcept;
const char* last_error_message() noexcept;

const char* status_name(int32_t status) noexcept;

}  // namespace snn
