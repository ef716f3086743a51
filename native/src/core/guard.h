// The single catch-all through which every exported function runs (ONNX Runtime style):
// no C++ exception crosses the C ABI. snn::Error keeps its status, std::bad_alloc becomes
// SNN_ERROR_OUT_OF_MEMORY, anything else SNN_ERROR_INTERNAL; the message is stored for the
// calling thread, prefixed with the name of the exported function.
#pragma once

#include <exception>
#include <new>

#include "core/error.h"

namespace snn {

template <class Body>
snn_status guard(const char* function, Body&& body) noexcept {
  try {
    body();
    return SNN_OK;
  } catch (const Error& e) {
    set_last_error(function, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_last_error(function, "out of host memory; release unused tensors or use smaller shapes");
    return SNN_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(function, "internal error, please report it: ", e.what());
    return SNN_ERROR_INTERNAL;
  } catch (...) {
    set_last_error(function, "internal error (unknown exception), please report it");
    return SNN_ERROR_INTERNAL;
  }
}

// For the few exported functions that return a value instead of a status: `fallback` is
// returned if the body throws (which none is expected to do).
template <class T, class Body>
T guard_value(const char* function, T fallback, Body&& body) noexcept {
  T result = fallback;
  guard(function, [&] { result = body(); });
  return result;
}

// For release functions: they must never fail, so any exception is swallowed.
template <class Body>
void guard_void(const char* function, Body&& body) noexcept {
  guard(function, body);
}

}  // namespace snn
