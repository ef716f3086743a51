// A cache of large freed memory blocks, reused by later allocations of a similar size.
//
// Why: a network call allocates its outputs afresh (tens of MB for [T, B, N] rasters), and the
// first write to fresh memory page-faults, which in our VMs costs about as much as the kernel that
// fills it. Keeping freed blocks mapped makes the next call's outputs warm. The idea is PyTorch's
// CUDA caching allocator, kept small: best fit within 25 % of the request, a byte limit, and
// release() to give everything back (snn_device_release_cached_memory).
//
// The cache does not allocate: the backend asks take() first and, on a miss, allocates itself and
// registers the block with adopt(). give() takes a block back if the cache handed it out and it
// fits under the limit; otherwise the caller frees it. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>

namespace snn {

class BlockCache {
 public:
  // `free_block` gives a block back to the system; `limit` bounds the bytes kept while unused.
  BlockCache(size_t min_block, size_t limit, std::function<void(void*)> free_block);
  ~BlockCache();  // frees the cached blocks; blocks still in use stay the owners' to give back
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // Whether blocks of this size go through the cache at all.
  bool caches(size_t bytes) const noexcept { return bytes >= min_block_; }
  // A cached block of at least `bytes` and at most 25 % more, now in use; nullptr on a miss.
  void* take(size_t bytes);
  // Registers a freshly allocated block of `bytes` as in use, so give() will recognise it.
  void adopt(void* p, size_t bytes);
  // True when `p` was a block in use from this cache: it is now cached (or freed past the limit).
  // False when the cache does not know `p`: the caller frees it.
  bool give(void* p) noexcept;
  // Frees every cached block; returns the bytes given back.
  size_t release() noexcept;

 private:
  void evict_until(size_t room) noexcept;  // caller holds mutex_

  const size_t min_block_, limit_;
  const std::function<void(void*)> free_block_;
  std::mutex mutex_;
  std::unordered_map<void*, size_t> in_use_;
  std::multimap<size_t, void*> cached_;  // by size, for best fit
  size_t cached_bytes_ = 0;
};

}  // namespace snn
