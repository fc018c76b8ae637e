// Counters kept by the engine: one per drop reason plus the traffic that
// passed. Plain integers, written only by the engine's own thread; readers
// take a copy (a snapshot) between batches.
#pragma once

#include <array>
#include <cstdint>

#include "masq/nat/drop_reason.hpp"

namespace masq::nat {

struct Counters {
  std::array<std::uint64_t, kDropReasonCount> drops{};
  std::uint64_t in2out = 0;        // translated LAN -> WAN
  std::uint64_t out2in = 0;        // translated WAN -> LAN
  std::uint64_t hairpinned = 0;    // LAN -> LAN through an external address
  std::uint64_t untranslated = 0;  // excluded destinations, inside-to-inside
  std::uint64_t icmp_errors_translated = 0;
  std::uint64_t sessions_created = 0;
  std::uint64_t sessions_expired = 0;
  std::uint64_t mappings_created = 0;

  std::uint64_t drop(DropReason r) const { return drops[static_cast<std::size_t>(r)]; }
  std::uint64_t total_drops() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 1; i < drops.size(); ++i) sum += drops[i];
    return sum;
  }
};

}  // namespace masq::nat
