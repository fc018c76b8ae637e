// SubscriberTable: per internal host ("subscriber", RFC 6888) state: the
// pool address it is paired with (RFC 4787 REQ-2, RFC 6888 REQ-2) and how
// many sessions and mappings it holds, for the quotas of RFC 6888 REQ-4/5.
// A subscriber exists while it has at least one session. Fixed capacity,
// open addressing keyed by the address itself, backward-shift deletion.
// Slow path only: touched when sessions are made or freed.
#pragma once

#include <cstdint>
#include <vector>

namespace masq::nat {

struct Subscriber {
  std::uint32_t addr = 0;  // 0: empty slot (0.0.0.0 is never a source we translate)
  std::uint32_t pool_index = 0;
  std::uint32_t sessions = 0;
  std::uint32_t mappings = 0;
  // SessionRate's bucket (session_rate.hpp); all ones: not yet filled.
  std::uint32_t rate_tokens = 0xFFFFFFFFu;
  std::uint32_t rate_refilled_s = 0;
};

class SubscriberTable {
 public:
  explicit SubscriberTable(std::uint32_t max_subscribers);

  // Inline: every new flow asks twice (the prefetch wave and making the
  // session), and the probe is a few instructions.
  Subscriber* find(std::uint32_t addr) {
    for (std::size_t i = home(addr);; i = next(i)) {
      if (slots_[i].addr == addr) return &slots_[i];
      if (slots_[i].addr == 0) return nullptr;
    }
  }
  const Subscriber* find(std::uint32_t addr) const {
    return const_cast<SubscriberTable*>(this)->find(addr);
  }
  // Adds an entry for addr (which must be absent); null when full.
  Subscriber* insert(std::uint32_t addr, std::uint32_t pool_index);
  void erase(std::uint32_t addr);
  // Starts loading the slot where addr's entry would be.
  void prefetch(std::uint32_t addr) const { __builtin_prefetch(&slots_[home(addr)]); }

  // Visits every subscriber (const Subscriber&), in slot order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const Subscriber& s : slots_) {
      if (s.addr != 0) visit(s);
    }
  }

  std::uint32_t size() const { return size_; }
  std::uint32_t max_size() const { return max_size_; }
  std::size_t memory_bytes() const { return slots_.size() * sizeof(Subscriber); }

 private:
  // Fibonacci hashing: consecutive LAN addresses spread over the table.
  std::size_t home(std::uint32_t addr) const {
    return static_cast<std::size_t>((std::uint64_t{addr} * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }
  std::size_t next(std::size_t i) const { return (i + 1) & mask_; }

  std::vector<Subscriber> slots_;
  std::size_t mask_;
  std::uint32_t size_ = 0;
  std::uint32_t max_size_;
};

}  // namespace masq::nat
