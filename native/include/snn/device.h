/* snn C ABI: compute devices (CPU and CUDA).
 *
 * A device owns its execution resources: the CPU thread count, or the CUDA stream and
 * cuBLAS handle. Tensors keep their device alive, so a device may be released before
 * the tensors made on it. Calls on one device are serialised in submission order. */
#ifndef SNN_DEVICE_H
#define SNN_DEVICE_H

#include "snn/status.h"

typedef enum snn_device_kind {
  SNN_DEVICE_CPU = 0,
  SNN_DEVICE_CUDA = 1
} snn_device_kind;

typedef struct snn_device snn_device;

#define SNN_DEVICE_NAME_CAPACITY 128

typedef struct snn_device_info {
  int32_t kind;                /* snn_device_kind */
  int32_t ordinal;             /* index among devices of this kind */
  int32_t num_threads;         /* CPU: worker threads in use; CUDA: multiprocessor count */
  int32_t compute_capability;  /* CUDA: major * 10 + minor; CPU: 0 */
  int64_t total_memory_bytes;  /* physical memory of the device */
  char name[SNN_DEVICE_NAME_CAPACITY]; /* UTF-8, NUL-terminated */
} snn_device_info;

/* 1 when support for `kind` was compiled into this library, else 0. */
SNN_API int32_t snn_device_kind_is_built(snn_device_kind kind);

/* Number of usable devices of `kind`: 1 for CPU; CUDA GPUs present (0 when none, or when
 * CUDA support is not built in). */
SNN_API snn_status snn_device_count(snn_device_kind kind, int32_t* out_count);

/* Opens device `ordinal` of `kind`. Release with snn_device_release. */
SNN_API snn_status snn_device_create(snn_device_kind kind, int32_t ordinal, snn_device** out_device);

/* Drops the caller's reference; NULL is ignored. */
SNN_API void snn_device_release(snn_device* device);

SNN_API snn_status snn_device_get_info(const snn_device* device, snn_device_info* out_info);

/* CPU: worker threads for this device's kernels; 0 means one per available core.
 * CUDA: accepted and ignored. */
SNN_API snn_status snn_device_set_num_threads(snn_device* device, int32_t num_threads);

/* Waits until all work submitted to the device has finished. */
SNN_API snn_status snn_device_synchronize(snn_device* device);

/* Large blocks (2 MiB and more) freed by released tensors are kept for reuse by later tensors of
 * a similar size, so repeated calls do not fault fresh pages in (CPU: up to 1/16 of physical memory,
 * at most 1 GiB). This gives them back to the system. *out_bytes (optional) receives the bytes
 * given back. Tensors in use are not affected. */
SNN_API snn_status snn_device_release_cached_memory(snn_device* device, int64_t* out_bytes);

#endif /* SNN_DEVICE_H */
