// AddressPool: the external addresses for dynamic translation, and which
// one a subscriber gets. Paired pooling (RFC 4787 REQ-2, RFC 6888 REQ-2):
// a subscriber keeps one address for all its mappings. The starting
// address is a keyed hash of the internal address, so a host lands on the
// same address again after its subscriber entry lapses; in exclusive mode
// (classic dynamic NAT) the search moves on to an address no one holds.
// Slow path only.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "masq/nat/engine_config.hpp"

namespace masq::nat {

class AddressPool {
 public:
  AddressPool(const std::vector<AddressRange>& ranges, PoolMode mode, std::uint64_t seed);

  // A pool index for a new subscriber, counted as a holder; nullopt when
  // exclusive mode has no free address, or the address is unspecified
  // (0.0.0.0: not known yet, see replace()).
  std::optional<std::uint32_t> acquire(std::uint32_t internal_addr);
  void release(std::uint32_t pool_index);
  // The pool index acquire() tries first for this host (the one it takes
  // in overload mode, and in exclusive mode while no one holds it); the
  // pool must not be empty. Lets a new subscriber's ports be prefetched.
  std::uint32_t home(std::uint32_t internal_addr) const;

  std::uint32_t address(std::uint32_t pool_index) const { return addrs_[pool_index]; }
  bool contains(std::uint32_t addr) const;
  // Address `from` becomes `to` at the same index, so that its holders
  // hold `to` from now on (a WAN address that changed). 0.0.0.0 stands for
  // an address not known yet: nothing is acquired on it. False when
  // `from` is not in the pool or `to` already is.
  bool replace(std::uint32_t from, std::uint32_t to);
  // Whether some address is known (not 0.0.0.0).
  bool addressed() const { return addressed_; }
  std::size_t size() const { return addrs_.size(); }
  std::size_t memory_bytes() const { return addrs_.size() * 3 * sizeof(std::uint32_t); }

 private:
  std::vector<std::uint32_t> addrs_;    // unique; sorted until replace()
  std::vector<std::uint32_t> sorted_;   // addrs_, sorted, for contains()
  std::vector<std::uint32_t> holders_;  // subscribers per address
  bool addressed_ = false;
  PoolMode mode_;
  std::uint64_t seed_;
};

// The total number of addresses in the ranges (for validation).
std::uint64_t count_addresses(const std::vector<AddressRange>& ranges);

}  // namespace masq::nat
