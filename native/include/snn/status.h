/* snn C ABI: versioning, status codes and the thread-local error message.
 *
 * Every fallible function returns snn_status. On any status other than SNN_OK the
 * function has left its outputs untouched and stored a UTF-8 message for the calling
 * thread, readable with snn_last_error_message() until the next failing call on that
 * thread. No C++ exception ever crosses this boundary. See docs/c-abi.md. */
#ifndef SNN_STATUS_H
#define SNN_STATUS_H

#include "snn/export.h"

/* Version of this ABI. Within a version it only grows: new functions are appended, shipped
 * signatures and struct layouts never change. Version 2 broke version 1 (entry points named by
 * what they compute; docs/c-abi.md lists the renames). Callers compare it with snn_api_version() and snn_supports_api_version(). */
#define SNN_API_VERSION 2

typedef enum snn_status {
  SNN_OK = 0,
  SNN_ERROR_INVALID_ARGUMENT = 1,   /* a null handle, bad shape, dtype or parameter value */
  SNN_ERROR_OUT_OF_MEMORY = 2,      /* host or device allocation failed */
  SNN_ERROR_DEVICE_UNAVAILABLE = 3, /* the device kind is not built in, or no such ordinal */
  SNN_ERROR_DEVICE_MISMATCH = 4,    /* tensors of one call live on different devices */
  SNN_ERROR_BACKEND = 5,            /* the CUDA runtime, cuBLAS or BLAS reported a failure */
  SNN_ERROR_UNSUPPORTED = 6,        /* valid request this build or device cannot serve */
  SNN_ERROR_INTERNAL = 7            /* a bug in snn: please report it with the message */
} snn_status;

/* The ABI version this library implements (SNN_API_VERSION when it was built). */
SNN_API uint32_t snn_api_version(void);

/* 1 when this library can serve callers built against `version`, else 0. */
SNN_API int32_t snn_supports_api_version(uint32_t version);

/* Library release as "major.minor.patch", static storage, UTF-8. */
SNN_API const char* snn_version_string(void);

/* Short constant name of a status ("SNN_ERROR_INVALID_ARGUMENT"), static storage. */
SNN_API const char* snn_status_name(snn_status status);

/* Message of the last failing call on this thread, UTF-8, owned by the library and valid
 * until the next failing call on this thread. Empty string when none has failed. */
SNN_API const char* snn_last_error_message(void);

#endif /* SNN_STATUS_H */
