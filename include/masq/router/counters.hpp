// RouterCounters: what the router did, beside what the engine counts. One
// counter per DropReason plus traffic and ARP activity, per side where the
// side matters. Plain integers, written only by the router's own thread;
// readers take a copy between calls.
#pragma once

#include <array>
#include <cstdint>

#include "masq/net/side.hpp"
#include "masq/router/drop_reason.hpp"

namespace masq::router {

struct RouterCounters {
  using PerSide = std::array<std::uint64_t, 2>;  // indexed by side_index()

  std::array<std::uint64_t, kDropReasonCount> drops{};
  PerSide rx_frames{};
  PerSide tx_frames{};
  PerSide to_engine{};  // transit packets handed to the engine, by arrival side
  std::uint64_t arp_requests_received = 0;
  std::uint64_t arp_replies_received = 0;
  std::uint64_t arp_requests_sent = 0;  // resolutions and polls
  std::uint64_t arp_replies_sent = 0;
  std::uint64_t arp_announcements_sent = 0;  // gratuitous ARP (RFC 5227 §2.3)
  std::uint64_t arp_queued = 0;              // packets that waited for a next hop
  std::uint64_t arp_released = 0;            // ... and went out once it answered
  std::uint64_t echo_replies_sent = 0;
  std::uint64_t icmp_errors_sent = 0;
  std::uint64_t icmp_errors_suppressed = 0;  // errors RFC 1812 §4.3.2.7 forbids sending
  std::uint64_t fragments_sent = 0;
  std::uint64_t fragments_received = 0;     // transit fragments handed to the reassembler
  std::uint64_t datagrams_reassembled = 0;  // ... and the datagrams they made whole

  static constexpr std::size_t side_index(Side s) { return s == Side::lan ? 0 : 1; }
  std::uint64_t drop(DropReason r) const { return drops[static_cast<std::size_t>(r)]; }
  void count(DropReason r) { ++drops[static_cast<std::size_t>(r)]; }
  std::uint64_t total_drops() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 1; i < drops.size(); ++i) sum += drops[i];
    return sum;
  }
};

}  // namespace masq::router
