// Intrusive reference counting and tagging for the objects behind opaque handles.
//
// Handle objects (snn_device, snn_tensor) are standard-layout structs whose first member is
// `uint32_t magic` and which have a `std::atomic<int64_t> refs` starting at 1. A
// standard-layout object is pointer-interconvertible with its first member, so the tag of
// any live handle can be read without knowing its type: that is how a tensor passed where a
// device is expected (an easy slip through IntPtr in C#) is caught. A handle that was
// already released cannot be detected reliably; that stays the caller's responsibility.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace snn {

inline uint32_t handle_magic(const void* handle) noexcept { return *static_cast<const uint32_t*>(handle); }

template <class T>
void retain(T* p) noexcept {
  p->refs.fetch_add(1, std::memory_order_relaxed);
}

// Deletes the object when the last reference goes.
template <class T>
void release(T* p) noexcept {
  if (p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p;
}

// Owning pointer that holds one reference.
template <class T>
class Ref {
 public:
  Ref() = default;
  // Adopts a reference the caller already owns.
  static Ref adopt(T* p) noexcept {
    Ref r;
    r.p_ = p;
    return r;
  }
  // Takes a new reference.
  static Ref share(T* p) noexcept {
    if (p) retain(p);
    return adopt(p);
  }
  Ref(const Ref& o) noexcept : p_(o.p_) {
    if (p_) retain(p_);
  }
  Ref(Ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Ref() {
    if (p_) release(p_);
  }
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  // Hands the reference to the caller.
  T* detach() noexcept {
    T* p = p_;
    p_ = nullptr;
    return p;
  }

 private:
  T* p_ = nullptr;
};

}  // namespace snn
