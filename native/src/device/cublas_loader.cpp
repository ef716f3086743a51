#include "device/cublas_loader.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "core/error.h"
#include "core/format.h"

namespace snn::cuda {
namespace {

#define SNN_STRINGIFY_(x) #x
#define SNN_STRINGIFY(x) SNN_STRINGIFY_(x)

// The soname of the cuBLAS major version we were compiled against first, then the dev symlink.
constexpr const char* kCandidates[] = {"libcublas.so." SNN_STRINGIFY(CUBLAS_VER_MAJOR), "libcublas.so"};

template <typename F>
void bind(void* library, const char* name, F& slot, const std::string& path) {
  slot = reinterpret_cast<F>(dlsym(library, name));
  if (slot == nullptr) {
    fail(SNN_ERROR_DEVICE_UNAVAILABLE, str(path, " lacks ", name, "; install the cuBLAS of CUDA ",
                                           CUBLAS_VER_MAJOR, " (the version snn was built with)"));
  }
}

Cublas load() {
  void* library = nullptr;
  std::string tried;
  for (const char* name : kCandidates) {
    library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library != nullptr) {
      tried = name;
      break;
    }
    const char* why = dlerror();
    tried += str(tried.empty() ? "" : "; ", name, ": ", why != nullptr ? why : "not found");
  }
  if (library == nullptr) {
    fail(SNN_ERROR_DEVICE_UNAVAILABLE,
         str("the CUDA backend needs cuBLAS, which could not be loaded (", tried, "); install the CUDA ",
             CUBLAS_VER_MAJOR, " cuBLAS runtime (e.g. libcublas11) or add its folder to LD_LIBRARY_PATH"));
  }
  // Never closed: the handles cuBLAS hands out live as long as the process.
  Cublas api{};
  bind(library, "cublasCreate_v2", api.create, tried);
  bind(library, "cublasDestroy_v2", api.destroy, tried);
  bind(library, "cublasSetStream_v2", api.set_stream, tried);
  bind(library, "cublasSetMathMode", api.set_math_mode, tried);
  bind(library, "cublasSgemm_v2", api.sgemm, tried);
  return api;
}

}  // namespace

const Cublas& cublas() {
  // A failed load is retried on the next request (the user may install the library meanwhile).
  static std::mutex mutex;
  static Cublas api{};
  static bool loaded = false;
  std::lock_guard<std::mutex> lock(mutex);
  if (!loaded) {
    api = load();
    loaded = true;
  }
  return api;
}

void check_blas(cublasStatus_t s, const char* what) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  if (s == CUBLAS_STATUS_ALLOC_FAILED) {
    fail(SNN_ERROR_OUT_OF_MEMORY, str(what, ": cuBLAS is out of GPU memory; release unused tensors"));
  }
  fail(SNN_ERROR_BACKEND, str(what, " failed with cuBLAS status ", static_cast<int>(s),
                              "; check the GPU with nvidia-smi"));
}

}  // namespace snn::cuda
