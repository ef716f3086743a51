/* snn C ABI: dense (fully connected) synaptic projection. */
#ifndef SNN_LINEAR_H
#define SNN_LINEAR_H

#include "snn/tensor.h"

/* output = input @ weight^T + bias over all leading rows. On CUDA one cuBLAS GEMM. On the CPU, inputs
 * that are mostly zeros (spikes: at most 60% non-zero, at least 64 rows, finite weights) take a
 * sparse path that adds the weight columns of each row's non-zero inputs in ascending input order
 * (bit-identical at any thread count); other inputs take one BLAS sgemm. SNN_LINEAR_PATH=dense or
 * sparse in the environment forces a path. Details: docs/benchmarks-dense-lif.md.
 * input: float32 [..., n_in] (rank >= 1); weight: float32 [n_out, n_in];
 * bias: float32 [n_out] or NULL; output: float32 [..., n_out] with the same leading shape.
 * All tensors on one device; output must not alias the other tensors. */
SNN_API snn_status snn_linear_forward(const snn_tensor* input, const snn_tensor* weight,
                                      const snn_tensor* bias, snn_tensor* output);

#endif /* SNN_LINEAR_H */
