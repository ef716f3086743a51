// The backend interface: what a device owns (memory, its stream or threads) and how it runs an
// operation's kernel (device/operation.h). It knows no engine: engines register kernels for
// operations, the API layer runs them with run(backend, op, args). CpuBackend and CudaBackend
// implement it. Methods throw snn::Error on failure. Callers hold mutex() around every call that
// touches device memory, so a backend never sees two operations at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "device/operation.h"
#include "snn/device.h"

namespace snn {

class Backend {
 public:
  virtual ~Backend() = default;

  virtual snn_device_kind kind() const noexcept = 0;
  virtual int32_t ordinal() const noexcept = 0;
  virtual void get_info(snn_device_info& info) = 0;
  virtual void set_num_threads(int32_t num_threads) = 0;  // >= 0, 0 = default
  // Serialises the operations of this device (snn/device.h: "calls on one device are
  // serialised in submission order").
  virtual std::mutex& mutex() noexcept = 0;
  // True when device memory is ordinary host memory (CPU).
  virtual bool host_addressable() const noexcept = 0;

  // Memory. allocate() returns zero-filled memory (nullptr for 0 bytes) or throws
  // SNN_ERROR_OUT_OF_MEMORY; deallocate() accepts nullptr and never fails.
  virtual void* allocate(size_t bytes) = 0;
  // The same without the zero fill, for outputs an operation overwrites entirely.
  virtual void* allocate_uninitialized(size_t bytes) = 0;
  virtual void deallocate(void* p) noexcept = 0;
  // Gives freed blocks the backend kept for reuse back to the system; returns their bytes.
  virtual size_t release_cached_memory() noexcept { return 0; }
  virtual void copy_from_host(void* dst, const void* host_src, size_t bytes) = 0;  // synchronous
  virtual void copy_to_host(void* host_dst, const void* src, size_t bytes) = 0;    // synchronous
  virtual void copy_within(void* dst, const void* src, size_t bytes) = 0;  // may overlap
  // Writes `count` copies of the `element_size`-byte (1, 4 or 8) `pattern`.
  virtual void fill(void* dst, size_t count, size_t element_size, const void* pattern) = 0;
  virtual void synchronize() = 0;
  // acc[i] += x[i] for i in [0, n): float32 element-wise accumulation (network merges).
  virtual void add(float* acc, const float* x, int64_t n) = 0;

  // Runs the kernel `op` registered for this device's kind on `args` (an op.ArgsType), in this
  // device's order; SNN_ERROR_UNSUPPORTED when none is registered. Use snn::run (below).
  virtual void run(const OperationBase& op, const void* args) = 0;
  // Index of the first element of x[0, n) that is NaN or outside [lo, hi], or -1 if none; its
  // value in *bad_value. Checks inputs before a kernel writes anything (Poisson, decays).
  virtual int64_t find_outside_range(const float* x, int64_t n, float lo, float hi, float* bad_value) = 0;
};

// Factories. The CUDA ones are implemented by cuda_backend.cpp, or by cuda_unavailable.cpp
// when the library is built without CUDA.
std::unique_ptr<Backend> make_cpu_backend();
bool cuda_is_built() noexcept;
// Number of CUDA GPUs; 0 (with the reason in *why, if given) when none can be used.
int32_t cuda_device_count(const char** why) noexcept;
std::unique_ptr<Backend> make_cuda_backend(int32_t ordinal);

template <class Args>
void run(Backend& backend, const Operation<Args>& op, const Args& args) {
  backend.run(op, &args);
}

}  // namespace snn
