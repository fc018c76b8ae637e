#include "subscriber_table.hpp"

#include <bit>

namespace masq::nat {

SubscriberTable::SubscriberTable(std::uint32_t max_subscribers)
    : slots_(std::bit_ceil(std::size_t{max_subscribers} * 2 + 2)),
      mask_(slots_.size() - 1),
      max_size_(max_subscribers) {}

Subscriber* SubscriberTable::insert(std::uint32_t addr, std::uint32_t pool_index) {
  if (size_ >= max_size_) return nullptr;
  std::size_t i = home(addr);
  while (slots_[i].addr != 0) i = next(i);
  slots_[i] = Subscriber{addr, pool_index, 0, 0};
  ++size_;
  return &slots_[i];
}

void SubscriberTable::erase(std::uint32_t addr) {
  std::size_t hole = home(addr);
  while (slots_[hole].addr != addr) {
    if (slots_[hole].addr == 0) return;
    hole = next(hole);
  }
  for (std::size_t j = next(hole); slots_[j].addr != 0; j = next(j)) {
    const std::size_t k = home(slots_[j].addr);
    const bool movable = hole <= j ? (k <= hole || k > j) : (k <= hole && k > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Subscriber{};
  --size_;
}

}  // namespace masq::nat
