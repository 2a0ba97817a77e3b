// A test buffer for kernel differential tests: `count` elements of T placed
// `misalign` bytes past a 16-byte boundary (rounded down to T's alignment:
// the runtime only hands kernels element-aligned tensors, and anything less
// is undefined behaviour for int16/float), followed by guard bytes that a
// kernel writing past its output would change.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vector>

template <typename T>
class GuardedBuffer {
 public:
  static constexpr size_t kGuardBytes = 64;
  static constexpr uint8_t kGuard = 0x5A;

  GuardedBuffer(size_t count, size_t misalign) : count_(count) {
    storage_.assign(16 + misalign + count * sizeof(T) + kGuardBytes, kGuard);
    const uintptr_t base = reinterpret_cast<uintptr_t>(storage_.data());
    start_ = static_cast<size_t>((16 - base % 16) % 16) + misalign / alignof(T) * alignof(T);
  }
  T* data() { return reinterpret_cast<T*>(storage_.data() + start_); }
  size_t size() const { return count_; }
  const uint8_t* bytes() const { return storage_.data() + start_; }
  bool guard_intact() const {
    for (size_t i = start_ + count_ * sizeof(T); i < storage_.size(); ++i)
      if (storage_[i] != kGuard) return false;
    return true;
  }

 private:
  size_t count_;
  size_t start_ = 0;
  std::vector<uint8_t> storage_;
};

template <typename A, typename B>
bool same_bytes(const GuardedBuffer<A>& a, const GuardedBuffer<B>& b) {
  return a.size() * sizeof(A) == b.size() * sizeof(B) && memcmp(a.bytes(), b.bytes(), a.size() * sizeof(A)) == 0;
}
