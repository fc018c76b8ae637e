// TableArray<T>: a fixed-size, value-initialised array for the engine's big
// tables (the session pool and the indexes). At a million sessions those
// span about 60 MiB, and each packet touches them at random: on 4 KiB pages
// nearly every such access also misses the TLB. The array therefore gets a
// mapping of its own, aligned to 2 MiB and advised onto transparent huge
// pages (madvise MADV_HUGEPAGE; a no-op where THP is off). Allocated in
// constructors only; never resized.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace masq::nat {

// Raw memory for tables: zeroed, 2 MiB-aligned when large, huge-page advised.
// Throws std::bad_alloc.
void* map_table_memory(std::size_t bytes);
void unmap_table_memory(void* memory, std::size_t bytes) noexcept;
// The bytes a table of `bytes` really occupies (whole pages, whole huge
// pages when large): a table that can use its slack, like a hash index,
// sizes itself to it rather than leave it mapped and unused.
std::size_t table_memory_size(std::size_t bytes) noexcept;

template <class T>
class TableArray {
  static_assert(std::is_trivially_destructible_v<T>);
  static_assert(alignof(T) <= 4096);

 public:
  explicit TableArray(std::size_t size)
      : data_(static_cast<T*>(map_table_memory(size * sizeof(T)))), size_(size) {
    std::uninitialized_value_construct_n(data_, size_);
  }
  ~TableArray() { unmap_table_memory(data_, size_ * sizeof(T)); }
  TableArray(TableArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  TableArray& operator=(TableArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  T* data_;
  std::size_t size_;
};

}  // namespace masq::nat
