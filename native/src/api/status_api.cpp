// Versioning, status names and the thread-local error message.
#include "core/error.h"
#include "core/guard.h"
#include "core/version.h"
#include "api/enum_arg.h"
#include "snn/status.h"

using snn::guard_value;

SNN_API uint32_t snn_api_version(void) {
  return guard_value("snn_api_version", snn::kApiVersion, [] { return snn::kApiVersion; });
}

SNN_API int32_t snn_supports_api_version(uint32_t version) {
  return guard_value("snn_supports_api_version", int32_t{0},
                     [&] { return snn::supports_api_version(version) ? int32_t{1} : int32_t{0}; });
}

SNN_API const char* snn_version_string(void) {
  return guard_value("snn_version_string", snn::kVersionString, [] { return snn::kVersionString; });
}

SNN_API const char* snn_status_name(snn_status status) {
  return guard_value("snn_status_name", "SNN_STATUS_UNKNOWN", [&] { return snn::status_name(snn::api::enum_arg(status)); });
}

SNN_API const char* snn_last_error_message(void) {
  return guard_value("snn_last_error_message", "", [] { return snn::last_error_message(); });
}
