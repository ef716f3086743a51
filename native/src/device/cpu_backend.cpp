// The CPU backend: host memory and the worker threads the registered CPU kernels run on.
#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/format.h"
#include "device/block_cache.h"
#include "device/backend.h"
#include "kernels/cpu_kernels.h"

namespace snn {
namespace {

constexpr size_t kAlignment = 64;  // cache line; also enough for any SIMD width used
constexpr size_t kHugePage = size_t{2} << 20;  // x86-64 transparent huge page

std::string cpu_model_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  }
  return "CPU";
}

size_t cache_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  const size_t total = pages > 0 && page_size > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(page_size) : 0;
  return std::min(total / 16, size_t{1} << 30);
}

class CpuBackend final : public Backend {
 public:
  snn_device_kind kind() const noexcept override { return SNN_DEVICE_CPU; }
  int32_t ordinal() const noexcept override { return 0; }
  bool host_addressable() const noexcept override { return true; }
  std::mutex& mutex() noexcept override { return mutex_; }

  void get_info(snn_device_info& info) override {
    info = snn_device_info{};
    info.kind = SNN_DEVICE_CPU;
    info.ordinal = 0;
    info.num_threads = threads();
    info.compute_capability = 0;
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
    info.total_memory_bytes = pages > 0 && page_size > 0 ? static_cast<int64_t>(pages) * page_size : 0;
    const std::string name = cpu_model_name();
    copy_utf8(info.name, SNN_DEVICE_NAME_CAPACITY, name.c_str());
  }

  void set_num_threads(int32_t n) override { requested_threads_.store(n, std::memory_order_relaxed); }

  void* allocate(size_t bytes) override {
    void* p = allocate_uninitialized(bytes);
    if (p != nullptr) std::memset(p, 0, bytes);
    return p;
  }

  void* allocate_uninitialized(size_t bytes) override {
    if (bytes == 0) return nullptr;
    const size_t rounded_huge = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    if (cache_.caches(bytes) && rounded_huge >= bytes) {
      if (void* p = cache_.take(rounded_huge)) return p;
      void* p = allocate_fresh(bytes);
      try {
        cache_.adopt(p, rounded_huge);
      } catch (...) {
        std::free(p);
        throw;
      }
      return p;
    }
    return allocate_fresh(bytes);
  }
  void deallocate(void* p) noexcept override {
    if (!cache_.give(p)) std::free(p);
  }
  size_t release_cached_memory() noexcept override { return cache_.release(); }

  void copy_from_host(void* dst, const void* src, size_t bytes) override { std::memmove(dst, src, bytes); }
  void copy_to_host(void* dst, const void* src, size_t bytes) override { std::memmove(dst, src, bytes); }
  void copy_within(void* dst, const void* src, size_t bytes) override { std::memmove(dst, src, bytes); }
  void fill(void* dst, size_t count, size_t element_size, const void* pattern) override {
    cpu::fill(dst, count, element_size, pattern, threads());
  }

  void add(float* acc, const float* x, int64_t n) override { cpu::add(acc, x, n, threads()); }
  void synchronize() override {}  // CPU work is finished when the call returns

  void run(const OperationBase& op, const void* args) override {
    Launch launch;
    launch.threads = threads();
    (void)op.require_kernel(SNN_DEVICE_CPU)(args, launch);
  }
  int64_t find_outside_range(const float* x, int64_t n, float lo, float hi, float* bad_value) override {
    const int64_t i = cpu::find_outside_range(x, n, lo, hi, threads());
    if (i >= 0) *bad_value = x[i];
    return i;
  }

 private:
  // From the system; on failure, gives the cached blocks back and tries once more.
  void* allocate_fresh(size_t bytes) {
    // Large blocks are 2 MiB-aligned and marked for transparent huge pages: a 4 KiB page fault
    // costs ~10 us in our VMs, which made zero-filling a fresh 100 MB tensor take ~280 ms
    // instead of ~15 ms. madvise is only a hint; without THP the block works the same.
    const bool huge = bytes >= kHugePage;
    const size_t alignment = huge ? kHugePage : kAlignment;
    void* p = nullptr;
    const size_t rounded = (bytes + alignment - 1) / alignment * alignment;
    const auto try_allocate = [&] { return rounded >= bytes && posix_memalign(&p, alignment, rounded) == 0 && p != nullptr; };
    if (!try_allocate() && (cache_.release() == 0 || !try_allocate())) {
      fail(SNN_ERROR_OUT_OF_MEMORY,
           str("could not allocate ", bytes, " bytes of host memory; release unused tensors or use smaller shapes"));
    }
#ifdef MADV_HUGEPAGE
    if (huge) (void)madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
  }

  // 0 = one worker per available core (omp_get_num_procs honours the affinity mask).
  int threads() const noexcept {
    const int n = requested_threads_.load(std::memory_order_relaxed);
    return n > 0 ? n : std::max(1, omp_get_num_procs());
  }

  std::mutex mutex_;
  std::atomic<int32_t> requested_threads_{0};
  // Blocks of 2 MiB and more; up to 1/16 of the machine's memory (at most 1 GiB) kept while unused.
  BlockCache cache_{kHugePage, cache_limit(), [](void* p) { std::free(p); }};
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace snn
