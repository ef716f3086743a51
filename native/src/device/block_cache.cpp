#include "device/block_cache.h"

#include <iterator>
#include <utility>

namespace snn {

BlockCache::BlockCache(size_t min_block, size_t limit, std::function<void(void*)> free_block)
    : min_block_(min_block), limit_(limit), free_block_(std::move(free_block)) {}

BlockCache::~BlockCache() { release(); }

void* BlockCache::take(size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = cached_.lower_bound(bytes);
  if (it == cached_.end() || it->first - bytes > bytes / 4) return nullptr;
  const size_t size = it->first;
  void* p = it->second;
  in_use_.emplace(p, size);  // may throw before anything changed
  cached_.erase(it);
  cached_bytes_ -= size;
  return p;
}

void BlockCache::adopt(void* p, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  in_use_.emplace(p, bytes);
}

bool BlockCache::give(void* p) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = in_use_.find(p);
  if (it == in_use_.end()) return false;
  const size_t size = it->second;
  in_use_.erase(it);
  if (size > limit_) {
    free_block_(p);
    return true;
  }
  evict_until(limit_ - size);
  try {
    cached_.emplace(size, p);
    cached_bytes_ += size;
  } catch (...) {
    free_block_(p);  // no room for the bookkeeping: just free it
  }
  return true;
}

size_t BlockCache::release() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t freed = cached_bytes_;
  evict_until(0);
  return freed;
}

// Largest blocks first: they are the likeliest to be left over from a shape no longer in use.
void BlockCache::evict_until(size_t room) noexcept {
  while (cached_bytes_ > room && !cached_.empty()) {
    const auto last = std::prev(cached_.end());
    free_block_(last->second);
    cached_bytes_ -= last->first;
    cached_.erase(last);
  }
}

}  // namespace snn
