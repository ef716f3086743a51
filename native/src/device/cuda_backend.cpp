// The CUDA backend: device memory, one stream and one cuBLAS handle per GPU, and the
// kernels of src/kernels/*.cu. Compiled by the host C++ compiler against the CUDA runtime
// API; only the kernels need nvcc.
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "core/error.h"
#include "core/format.h"
#include "device/backend.h"
#include "device/cublas_loader.h"
#include "kernels/cuda_kernels.h"

namespace snn {
namespace {

[[noreturn]] void throw_cuda(cudaError_t e, const char* what) {
  (void)cudaGetLastError();  // clear a non-sticky error so the next call starts clean
  if (e == cudaErrorMemoryAllocation) {
    fail(SNN_ERROR_OUT_OF_MEMORY,
         str(what, ": out of GPU memory; release unused tensors or use smaller shapes"));
  }
  fail(SNN_ERROR_BACKEND, str(what, " failed: ", cudaGetErrorName(e), " (", cudaGetErrorString(e),
                              "); check the GPU with nvidia-smi, a sticky error needs a process restart"));
}

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw_cuda(e, what);
}

// Makes `ordinal` the calling thread's current GPU for the scope, restoring the previous one.
class DeviceScope {
 public:
  explicit DeviceScope(int ordinal) {
    if (cudaGetDevice(&previous_) != cudaSuccess) previous_ = -1;
    if (previous_ != ordinal) check(cudaSetDevice(ordinal), "cudaSetDevice");
    else previous_ = -1;
  }
  ~DeviceScope() {
    if (previous_ >= 0) (void)cudaSetDevice(previous_);
  }
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  int previous_ = -1;
};

// Everything that must be unique per GPU. Every snn_device opened on one GPU shares its
// Context, so work from all of them runs on one stream, in submission order.
struct Context {
  int ordinal = 0;
  cudaDeviceProp properties{};
  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  unsigned long long* device_flag = nullptr;  // result slot of the intensity check
  unsigned long long* host_flag = nullptr;    // pinned, for the one readback
  std::mutex mutex;

  ~Context() {
    // Errors are ignored: this may run after the CUDA runtime has begun shutting down.
    if (cudaSetDevice(ordinal) != cudaSuccess) return;
    if (blas != nullptr) (void)cuda::cublas().destroy(blas);
    if (stream != nullptr) (void)cudaStreamDestroy(stream);
    if (device_flag != nullptr) (void)cudaFree(device_flag);
    if (host_flag != nullptr) (void)cudaFreeHost(host_flag);
  }
};

std::shared_ptr<Context> open_context(int ordinal) {
  auto ctx = std::make_shared<Context>();
  ctx->ordinal = ordinal;
  DeviceScope scope(ordinal);
  check(cudaGetDeviceProperties(&ctx->properties, ordinal), "cudaGetDeviceProperties");
  check(cudaStreamCreateWithFlags(&ctx->stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  const cuda::Cublas& blas = cuda::cublas();  // before any GPU memory, so a missing cuBLAS leaks nothing
  cuda::check_blas(blas.create(&ctx->blas), "cublasCreate");
  cuda::check_blas(blas.set_stream(ctx->blas, ctx->stream), "cublasSetStream");
  // Plain FP32 GEMMs: no TF32 tensor-core rounding of the inputs.
  cuda::check_blas(blas.set_math_mode(ctx->blas, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
  check(cudaMalloc(reinterpret_cast<void**>(&ctx->device_flag), sizeof(unsigned long long)), "cudaMalloc");
  check(cudaMallocHost(reinterpret_cast<void**>(&ctx->host_flag), sizeof(unsigned long long)), "cudaMallocHost");
  return ctx;
}

std::shared_ptr<Context> context_for(int ordinal) {
  static std::mutex registry_mutex;
  static std::map<int, std::weak_ptr<Context>> registry;
  std::lock_guard<std::mutex> lock(registry_mutex);
  std::shared_ptr<Context> ctx = registry[ordinal].lock();
  if (!ctx) {
    ctx = open_context(ordinal);
    registry[ordinal] = ctx;
  }
  return ctx;
}

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(std::shared_ptr<Context> ctx) : ctx_(std::move(ctx)) {}

  snn_device_kind kind() const noexcept override { return SNN_DEVICE_CUDA; }
  int32_t ordinal() const noexcept override { return ctx_->ordinal; }
  bool host_addressable() const noexcept override { return false; }
  std::mutex& mutex() noexcept override { return ctx_->mutex; }

  void get_info(snn_device_info& info) override {
    const cudaDeviceProp& p = ctx_->properties;
    info = snn_device_info{};
    info.kind = SNN_DEVICE_CUDA;
    info.ordinal = ctx_->ordinal;
    info.num_threads = p.multiProcessorCount;
    info.compute_capability = p.major * 10 + p.minor;
    info.total_memory_bytes = static_cast<int64_t>(p.totalGlobalMem);
    copy_utf8(info.name, SNN_DEVICE_NAME_CAPACITY, p.name);
  }

  void set_num_threads(int32_t) override {}  // accepted and ignored (snn/device.h)

  void* allocate(size_t bytes) override {
    void* p = allocate_uninitialized(bytes);
    if (p == nullptr) return p;
    DeviceScope scope(ctx_->ordinal);
    const cudaError_t z = cudaMemsetAsync(p, 0, bytes, ctx_->stream);
    if (z != cudaSuccess) {
      (void)cudaFree(p);
      throw_cuda(z, "cudaMemsetAsync");
    }
    return p;
  }

  void* allocate_uninitialized(size_t bytes) override {
    if (bytes == 0) return nullptr;
    DeviceScope scope(ctx_->ordinal);
    void* p = nullptr;
    const cudaError_t e = cudaMalloc(&p, bytes);
    if (e != cudaSuccess) {
      (void)cudaGetLastError();
      if (e == cudaErrorMemoryAllocation) {
        fail(SNN_ERROR_OUT_OF_MEMORY, str("could not allocate ", bytes, " bytes on CUDA:", ctx_->ordinal,
                                          "; release unused tensors or use smaller shapes"));
      }
      throw_cuda(e, "cudaMalloc");
    }
    return p;
  }

  // Never throws (it runs from snn_tensor_release); restores the caller's current GPU.
  void deallocate(void* p) noexcept override {
    if (p == nullptr) return;
    int previous = -1;
    if (cudaGetDevice(&previous) != cudaSuccess) previous = -1;
    if (cudaSetDevice(ctx_->ordinal) == cudaSuccess) (void)cudaFree(p);  // cudaFree waits for pending work
    if (previous >= 0 && previous != ctx_->ordinal) (void)cudaSetDevice(previous);
    (void)cudaGetLastError();
  }

  void copy_from_host(void* dst, const void* src, size_t bytes) override {
    DeviceScope scope(ctx_->ordinal);
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, ctx_->stream), "cudaMemcpyAsync (upload)");
    check(cudaStreamSynchronize(ctx_->stream), "cudaStreamSynchronize");  // the source may go away on return
  }

  void copy_to_host(void* dst, const void* src, size_t bytes) override {
    DeviceScope scope(ctx_->ordinal);
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, ctx_->stream), "cudaMemcpyAsync (download)");
    check(cudaStreamSynchronize(ctx_->stream), "cudaStreamSynchronize");
  }

  void copy_within(void* dst, const void* src, size_t bytes) override {
    DeviceScope scope(ctx_->ordinal);
    check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, ctx_->stream), "cudaMemcpyAsync");
  }

  void fill(void* dst, size_t count, size_t element_size, const void* pattern) override {
    DeviceScope scope(ctx_->ordinal);
    check(cuda::fill(dst, count, element_size, pattern, ctx_->stream), "fill kernel launch");
  }

  void add(float* acc, const float* x, int64_t n) override {
    DeviceScope scope(ctx_->ordinal);
    check(cuda::add(acc, x, n, ctx_->stream), "add kernel launch");
  }

  void synchronize() override {
    DeviceScope scope(ctx_->ordinal);
    check(cudaStreamSynchronize(ctx_->stream), "cudaStreamSynchronize");
  }

  // The one place that makes this GPU current and checks a kernel's launch.
  void run(const OperationBase& op, const void* args) override {
    const Kernel kernel = op.require_kernel(SNN_DEVICE_CUDA);
    DeviceScope scope(ctx_->ordinal);
    Launch launch;
    launch.threads = ctx_->properties.multiProcessorCount;
    launch.stream = ctx_->stream;
    launch.blas = ctx_->blas;
    const auto e = static_cast<cudaError_t>(kernel(args, launch));
    if (e != cudaSuccess) throw_cuda(e, str(op.name(), " kernel launch").c_str());
  }

  int64_t find_outside_range(const float* x, int64_t n, float lo, float hi, float* bad_value) override {
    DeviceScope scope(ctx_->ordinal);
    check(cuda::find_outside_range(x, n, lo, hi, ctx_->device_flag, ctx_->stream), "range check launch");
    check(cudaMemcpyAsync(ctx_->host_flag, ctx_->device_flag, sizeof(unsigned long long), cudaMemcpyDeviceToHost,
                          ctx_->stream),
          "cudaMemcpyAsync (range check)");
    check(cudaStreamSynchronize(ctx_->stream), "cudaStreamSynchronize");
    const auto first = static_cast<int64_t>(*ctx_->host_flag);
    if (first >= n) return -1;
    check(cudaMemcpyAsync(bad_value, x + first, sizeof(float), cudaMemcpyDeviceToHost, ctx_->stream),
          "cudaMemcpyAsync (range check value)");
    check(cudaStreamSynchronize(ctx_->stream), "cudaStreamSynchronize");
    return first;
  }

 private:
  std::shared_ptr<Context> ctx_;
};

}  // namespace

bool cuda_is_built() noexcept { return true; }

int32_t cuda_device_count(const char** why) noexcept {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    if (why != nullptr) *why = cudaGetErrorString(e);
    return 0;
  }
  if (n == 0 && why != nullptr) *why = "the CUDA runtime reports no GPU";
  return n;
}

std::unique_ptr<Backend> make_cuda_backend(int32_t ordinal) {
  const char* why = nullptr;
  const int32_t count = cuda_device_count(&why);
  if (count == 0) {
    fail(SNN_ERROR_DEVICE_UNAVAILABLE, str("no CUDA GPU found (", why != nullptr ? why : "unknown reason",
                                           "); use SNN_DEVICE_CPU, or check the NVIDIA driver and GPU"));
  }
  if (ordinal >= count) {
    fail(SNN_ERROR_DEVICE_UNAVAILABLE, str("CUDA ordinal ", ordinal, " does not exist, ", count,
                                           " GPU(s) present; pass an ordinal in [0, ", count - 1, "]"));
  }
  return std::make_unique<CudaBackend>(context_for(ordinal));
}

}  // namespace snn
