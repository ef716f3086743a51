/* Test fixture for the .NET and Python loaders: a library named libsnn.so that claims ABI
 * version 999 and supports no caller version, so that loaders can prove they refuse a
 * mismatched native library with a clean error instead of calling into it. Built to
 * build/test-fixtures/bad-abi/libsnn.so; it exports only these four functions. */
#include "snn/status.h"

SNN_API uint32_t snn_api_version(void) { return 999u; }

SNN_API int32_t snn_supports_api_version(uint32_t version) {
  (void)version;
  return 0;
}

SNN_API const char* snn_version_string(void) { return "999.0.0-bad-abi-fixture"; }

SNN_API const char* snn_last_error_message(void) { return ""; }
