/* snn C ABI: export and linkage macros shared by every public header. */
#ifndef SNN_EXPORT_H
#define SNN_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define SNN_EXTERN_C extern "C"
#else
#define SNN_EXTERN_C
#endif

#if defined(_WIN32)
#define SNN_API SNN_EXTERN_C __declspec(dllexport)
#else
#define SNN_API SNN_EXTERN_C __attribute__((visibility("default")))
#endif

#endif /* SNN_EXPORT_H */
