// The CPU device's worker threads, for kernels whose work items are uneven or may throw: the
// event-driven layer (event/fc_cpu.cpp) runs its loops here, on the threads its device lends it
// through Launch::threads (device/operation.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <new>

namespace snn::cpu {

// Runs `body(i)` for i in [0, n) on `threads` workers; an exception (std::bad_alloc) thrown by
// a worker is carried out of the parallel region and rethrown here.
template <class Body>
void parallel_for(int64_t n, int threads, bool dynamic, Body&& body) {
  std::atomic<bool> failed{false};
  if (dynamic) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1 && n > 1)
    for (int64_t i = 0; i < n; ++i) {
      if (failed.load(std::memory_order_relaxed)) continue;
      try {
        body(i);
      } catch (...) {
        failed.store(true);
      }
    }
  } else {
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n > 1)
    for (int64_t i = 0; i < n; ++i) {
      if (failed.load(std::memory_order_relaxed)) continue;
      try {
        body(i);
      } catch (...) {
        failed.store(true);
      }
    }
  }
  if (failed.load()) throw std::bad_alloc();
}

}  // namespace snn::cpu
