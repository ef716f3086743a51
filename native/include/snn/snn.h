/* snn: spiking neural networks, exact and fast on CPU and CUDA. The whole C ABI.
 * Rules of the boundary: docs/c-abi.md. */
#ifndef SNN_SNN_H
#define SNN_SNN_H

#include "snn/export.h"
#include "snn/status.h"
#include "snn/device.h"
#include "snn/tensor.h"
#include "snn/random.h"
#include "snn/encode.h"
#include "snn/linear.h"
#include "snn/neuron.h"
#include "snn/event.h"
#include "snn/trace_neuron.h"
#include "snn/connection.h"
#include "snn/iaf.h"

#endif /* SNN_SNN_H */
