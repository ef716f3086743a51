// Operations and their kernels: the device layer's whole view of what the engines compute.
//
// An operation (the neuron family's step loop, a 2-D convolution, a Poisson draw, ...) is an
// Operation<Args> object declared next to its argument block in the engine's args header. Each
// engine's CPU and CUDA files register their kernel for it with SNN_REGISTER_CPU_KERNEL /
// SNN_REGISTER_CUDA_KERNEL (device/cuda_operation.h), which fill the operation's slot for that
// device kind while the library loads. The API layer runs it with run(backend, op, args); the
// backend supplies what it owns (threads, stream, BLAS handle) in a Launch and, for CUDA, checks
// the launch in one place. The device layer includes no engine header.
#pragma once

#include <cstdint>
#include <type_traits>

#include "snn/device.h"

namespace snn {

class Backend;

// What a kernel gets from the device that runs it.
struct Launch {
  int32_t threads = 1;     // CPU: the device's worker threads (snn_device_set_num_threads)
  void* stream = nullptr;  // CUDA: the device's cudaStream_t
  void* blas = nullptr;    // CUDA: the device's cublasHandle_t, bound to that stream
};

// A kernel with its argument block erased. CPU kernels return 0 and throw snn::Error on failure;
// CUDA kernels enqueue work and return the launch's cudaError_t, which the CUDA backend checks.
using Kernel = int32_t (*)(const void* args, const Launch& launch);

inline constexpr int kDeviceKindCount = 2;  // SNN_DEVICE_CPU, SNN_DEVICE_CUDA

// One computation: its name (for messages) and one kernel slot per device kind. constexpr-
// constructed, so every slot is null before any registration runs, whatever the load order.
class OperationBase {
 public:
  explicit constexpr OperationBase(const char* name) noexcept : name_(name) {}
  OperationBase(const OperationBase&) = delete;
  OperationBase& operator=(const OperationBase&) = delete;

  const char* name() const noexcept { return name_; }
  // The kernel registered for `kind`, or nullptr (none registered, or no such kind).
  Kernel kernel(int32_t kind) const noexcept {
    return kind >= 0 && kind < kDeviceKindCount ? kernels_[kind] : nullptr;
  }
  // The kernel for `kind`; throws SNN_ERROR_UNSUPPORTED, naming the operation and the device
  // kinds that do have one, when there is none.
  Kernel require_kernel(int32_t kind) const;
  void set_kernel(int32_t kind, Kernel kernel) noexcept {
    if (kind >= 0 && kind < kDeviceKindCount) kernels_[kind] = kernel;
  }

 private:
  const char* name_;
  Kernel kernels_[kDeviceKindCount] = {};
};

// An operation whose kernels take an `Args` block: run() and the registration macros check the
// argument type at compile time.
template <class Args>
class Operation : public OperationBase {
 public:
  using ArgsType = Args;
  using OperationBase::OperationBase;
};

// Fills one slot while the library loads (a namespace-scope object in the kernel's file).
struct KernelRegistration {
  KernelRegistration(OperationBase& op, int32_t kind, Kernel kernel) noexcept { op.set_kernel(kind, kernel); }
};

// The erased form of a CPU kernel `void fn(const Args&, int threads)`.
template <class Args, void (*Fn)(const Args&, int)>
int32_t cpu_kernel(const void* args, const Launch& launch) {
  Fn(*static_cast<const Args*>(args), launch.threads);
  return 0;
}

// Runs `op` on `backend` (which holds its mutex): defined in device/backend.h.
template <class Args>
void run(Backend& backend, const Operation<Args>& op, const Args& args);

}  // namespace snn

#define SNN_OPERATION_CONCAT_(a, b) a##b
#define SNN_OPERATION_CONCAT(a, b) SNN_OPERATION_CONCAT_(a, b)

// SNN_REGISTER_CPU_KERNEL(op, fn): fn is `void fn(const Args&, int threads)` for op's Args.
#define SNN_REGISTER_CPU_KERNEL(op, fn)                                                             \
  static const ::snn::KernelRegistration SNN_OPERATION_CONCAT(snn_cpu_kernel_registration_, __LINE__){ \
      (op), SNN_DEVICE_CPU, &::snn::cpu_kernel<typename std::decay_t<decltype(op)>::ArgsType, (fn)>}
