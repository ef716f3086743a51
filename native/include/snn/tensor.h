/* snn C ABI: dense row-major tensors in device memory.
 *
 * A tensor is a contiguous row-major block of one dtype on one device. Tensors made with
 * snn_tensor_create own zero-filled memory; views made with snn_tensor_create_view borrow
 * host memory that the caller keeps alive and unchanged in size until the view is released. */
#ifndef SNN_TENSOR_H
#define SNN_TENSOR_H

#include "snn/device.h"

#define SNN_MAX_RANK 8

typedef enum snn_dtype {
  SNN_DTYPE_FLOAT32 = 0,
  SNN_DTYPE_FLOAT64 = 1,
  SNN_DTYPE_INT32 = 2,
  SNN_DTYPE_INT64 = 3,
  SNN_DTYPE_UINT8 = 4,
  SNN_DTYPE_UINT32 = 5
} snn_dtype;

typedef struct snn_tensor snn_tensor;

typedef struct snn_tensor_info {
  int32_t dtype;                /* snn_dtype */
  int32_t rank;                 /* 0 .. SNN_MAX_RANK; rank 0 is a scalar of one element */
  int64_t shape[SNN_MAX_RANK];  /* extents; entries past rank are 0 */
  int64_t numel;                /* product of the extents */
  int64_t nbytes;               /* numel * element size */
  int32_t device_kind;          /* snn_device_kind of the owning device */
  int32_t device_ordinal;
} snn_tensor_info;

/* Bytes of one element of `dtype`, or 0 for an unknown dtype. */
SNN_API size_t snn_dtype_size(snn_dtype dtype);

/* New zero-filled tensor of `shape` (rank entries, each >= 0) on `device`. */
SNN_API snn_status snn_tensor_create(snn_device* device, snn_dtype dtype, int32_t rank,
                                     const int64_t* shape, snn_tensor** out_tensor);

/* New tensor whose elements are unspecified until written (no zero fill): for outputs an operation
 * overwrites entirely, where filling a large fresh tensor with zeros would cost a pass over memory. */
SNN_API snn_status snn_tensor_create_uninitialized(snn_device* device, snn_dtype dtype, int32_t rank,
                                                   const int64_t* shape, snn_tensor** out_tensor);

/* Tensor over caller-owned host memory (CPU devices only): no copy is made. `data` must
 * hold `capacity_bytes` >= the tensor's bytes and be aligned to the element size. */
SNN_API snn_status snn_tensor_create_view(snn_device* device, snn_dtype dtype, int32_t rank,
                                          const int64_t* shape, void* data, size_t capacity_bytes,
                                          snn_tensor** out_tensor);

/* Tensor sharing the memory of `base` (on any device), no copy: `shape` of base's dtype laid over
 * base's elements from element `offset` on; offset + the view's element count must not exceed
 * base's. The view keeps that memory alive until it is released too. Offset 0 gives a reshape;
 * offset k * (elements per row) with shape [n, ...] gives rows k .. k + n - 1 of the first axis. */
SNN_API snn_status snn_tensor_create_subview(snn_tensor* base, int64_t offset, int32_t rank, const int64_t* shape,
                                             snn_tensor** out_tensor);

/* Drops the caller's reference; NULL is ignored. */
SNN_API void snn_tensor_release(snn_tensor* tensor);

SNN_API snn_status snn_tensor_get_info(const snn_tensor* tensor, snn_tensor_info* out_info);

/* Address of the elements of a CPU tensor (SNN_ERROR_UNSUPPORTED on other devices). */
SNN_API snn_status snn_tensor_host_data(snn_tensor* tensor, void** out_data);

/* Copies `nbytes` (exactly the tensor's size) from host memory into the tensor. */
SNN_API snn_status snn_tensor_upload(snn_tensor* tensor, const void* source, size_t nbytes);

/* Copies the whole tensor (exactly `nbytes`) into host memory; waits for pending work. */
SNN_API snn_status snn_tensor_download(const snn_tensor* tensor, void* destination, size_t nbytes);

/* Copies `source` into `destination`: same dtype and element count, any devices. */
SNN_API snn_status snn_tensor_copy(snn_tensor* destination, const snn_tensor* source);

/* accumulator[i] += addend[i] for every element: float32 tensors of one shape on one device that
 * do not overlap (in a network, the merge of several inputs into one layer). */
SNN_API snn_status snn_tensor_add(snn_tensor* accumulator, const snn_tensor* addend);

/* Sets every element to `value` (converted to the tensor's dtype). */
SNN_API snn_status snn_tensor_fill(snn_tensor* tensor, double value);

/* output[j, i, ...] = input[i, j, ...]: the two leading axes swapped (e.g. batch-major [B, T, ...]
 * to time-major [T, B, ...] and back). Float32 tensors of rank >= 2 on one device that do not
 * overlap; output's shape is input's with its first two dimensions exchanged. */
SNN_API snn_status snn_tensor_swap_leading_axes(const snn_tensor* input, snn_tensor* output);

#endif /* SNN_TENSOR_H */
