#include "table_array.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace masq::nat {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kPage = 4096;

std::size_t round_up(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

// Small tables stay on normal pages: a huge page for a few KiB would waste memory.
bool wants_huge(std::size_t bytes) {
  return bytes >= kHugePage;
}

}  // namespace

std::size_t table_memory_size(std::size_t bytes) noexcept {
  return round_up(bytes == 0 ? 1 : bytes, wants_huge(bytes) ? kHugePage : kPage);
}

void* map_table_memory(std::size_t bytes) {
  const std::size_t size = table_memory_size(bytes);
  // Over-map by one huge page, then trim both ends so that the table starts
  // on a 2 MiB boundary: only aligned 2 MiB ranges can be huge pages.
  const std::size_t slack = wants_huge(bytes) ? kHugePage : 0;
  void* raw =
      mmap(nullptr, size + slack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto* const start = static_cast<std::uint8_t*>(raw);
  const auto address = reinterpret_cast<std::uintptr_t>(start);
  const std::size_t head = slack == 0 ? 0 : round_up(address, kHugePage) - address;
  if (head != 0) munmap(start, head);
  if (slack - head != 0) munmap(start + head + size, slack - head);
  if (wants_huge(bytes)) madvise(start + head, size, MADV_HUGEPAGE);
  return start + head;
}

void unmap_table_memory(void* memory, std::size_t bytes) noexcept {
  if (memory != nullptr) munmap(memory, table_memory_size(bytes));
}

}  // namespace masq::nat
