// Intrusive reference counting for the objects behind opaque handles.
#pragma once

#include <atomic>
#include <cstdint>

namespace snn {

class RefCounted {
 public:
  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Deletes the object when the last reference goes.
  void release() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

 protected:
  RefCounted() = default;
  virtual ~RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;

 private:
  std::atomic<int64_t> refs_{1};
};

// Owning pointer that holds one reference.
template <class T>
class Ref {
 public:
  Ref() = default;
  // Adopts a reference the caller already owns.
  static Ref adopt(T* p) noexcept { Ref r; r.p_ = p; return r; }
  // Takes a new reference.
  static Ref share(T* p) noexcept { if (p) p->retain(); return adopt(p); }
  Ref(const Ref& o) noexcept : p_(o.p_) { if (p_) p_->retain(); }
  Ref(Ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Ref& operator=(Ref o) noexcept { std::swap(p_, o.p_); return *this; }
  ~Ref() { if (p_) p_->release(); }
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  // Hands the reference to the caller.
  T* detach() noexcept { T* p = p_; p_ = nullptr; return p; }

 private:
  T* p_ = nullptr;
};

}  // namespace snn
