#include "address_pool.hpp"

#include <algorithm>

namespace masq::nat {

std::uint64_t count_addresses(const std::vector<AddressRange>& ranges) {
  std::uint64_t n = 0;
  for (const auto& r : ranges) {
    if (r.first <= r.last) n += std::uint64_t{r.last.value()} - r.first.value() + 1;
  }
  return n;
}

AddressPool::AddressPool(const std::vector<AddressRange>& ranges, PoolMode mode, std::uint64_t seed)
    : mode_(mode), seed_(seed) {
  addrs_.reserve(count_addresses(ranges));
  for (const auto& r : ranges) {
    for (std::uint64_t a = r.first.value(); a <= r.last.value(); ++a) {
      addrs_.push_back(static_cast<std::uint32_t>(a));
    }
  }
  std::sort(addrs_.begin(), addrs_.end());
  addrs_.erase(std::unique(addrs_.begin(), addrs_.end()), addrs_.end());
  sorted_ = addrs_;
  holders_.assign(addrs_.size(), 0);
  addressed_ = std::any_of(addrs_.begin(), addrs_.end(), [](std::uint32_t a) { return a != 0; });
}

std::optional<std::uint32_t> AddressPool::acquire(std::uint32_t internal_addr) {
  if (addrs_.empty()) return std::nullopt;
  const auto n = static_cast<std::uint32_t>(addrs_.size());
  const std::uint32_t start = home(internal_addr);
  if (mode_ == PoolMode::overload) {
    if (addrs_[start] == 0) return std::nullopt;
    ++holders_[start];
    return start;
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t idx = (start + i) % n;
    if (holders_[idx] == 0 && addrs_[idx] != 0) {
      holders_[idx] = 1;
      return idx;
    }
  }
  return std::nullopt;
}

std::uint32_t AddressPool::home(std::uint32_t internal_addr) const {
  const std::uint64_t mixed = (std::uint64_t{internal_addr} ^ seed_) * 0x9E3779B97F4A7C15ull;
  return static_cast<std::uint32_t>(((mixed >> 32) * addrs_.size()) >> 32);
}

void AddressPool::release(std::uint32_t pool_index) {
  --holders_[pool_index];
}

bool AddressPool::contains(std::uint32_t addr) const {
  return std::binary_search(sorted_.begin(), sorted_.end(), addr);
}

bool AddressPool::replace(std::uint32_t from, std::uint32_t to) {
  const auto it = std::find(addrs_.begin(), addrs_.end(), from);
  if (it == addrs_.end() || (from != to && contains(to))) return false;
  *it = to;
  sorted_ = addrs_;
  std::sort(sorted_.begin(), sorted_.end());
  addressed_ = std::any_of(addrs_.begin(), addrs_.end(), [](std::uint32_t a) { return a != 0; });
  return true;
}

}  // namespace masq::nat
