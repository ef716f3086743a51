/* snn C ABI: dense (fully connected) synaptic projection. */
#ifndef SNN_LINEAR_H
#define SNN_LINEAR_H

#include "snn/tensor.h"

/* output = input @ weight^T + bias, computed as one matrix multiply over all leading rows
 * (BLAS sgemm on CPU, cuBLAS on CUDA).
 * input: float32 [..., n_in] (rank >= 1); weight: float32 [n_out, n_in];
 * bias: float32 [n_out] or NULL; output: float32 [..., n_out] with the same leading shape.
 * All tensors on one device; output must not alias the other tensors. */
SNN_API snn_status snn_linear_forward(const snn_tensor* input, const snn_tensor* weight,
                                      const snn_tensor* bias, snn_tensor* output);

#endif /* SNN_LINEAR_H */
