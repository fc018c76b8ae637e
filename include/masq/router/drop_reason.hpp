// DropReason: every reason the router (not the engine) refuses a frame or
// a packet. Like nat::DropReason, this one enum is the counter schema:
// RouterCounters holds one counter per value and the metrics print them by
// to_string(). Drops the engine decides are counted by the engine only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace masq::router {

enum class DropReason : std::uint8_t {
  none,  // not a drop
  // Ethernet.
  frame_truncated,        // shorter than an Ethernet header
  not_our_mac,            // unicast to another station, or a group address (not ARP)
  unsupported_ethertype,  // neither IPv4 nor ARP (802.1Q tags included)
  batch_too_large,        // frames beyond RouterConfig::max_batch in one call
  // ARP (RFC 826).
  arp_malformed,         // not Ethernet/IPv4 ARP, or an unknown opcode
  arp_other_target,      // about an address that is not ours (normal on a shared link)
  arp_sender_off_link,   // sender address outside the side's prefix, or a probe (0.0.0.0)
  arp_address_conflict,  // another station claims one of our addresses
  arp_cache_full,        // no room for a neighbour
  arp_queue_overflow,    // a packet waiting for resolution was dropped (queue bound)
  arp_unresolved,        // the next hop never answered (ICMP 3/1, RFC 1812 §4.3.3.1)
  arp_queue_too_large,   // larger than a queue slot (reassembled, a super-frame), for an unresolved
                         // hop
  // IPv4 before the engine.
  ipv4_malformed,         // refused by net::parse_ipv4
  exceeds_ingress_mtu,    // larger than the MTU of the side it came in on
  link_broadcast_ipv4,    // IPv4 in a broadcast or multicast frame (RFC 1812 §5.3.4)
  broadcast_destination,  // limited or directed broadcast, or multicast (RFC 1812 §5.3.5)
  martian_source,         // RFC 1812 §5.3.7
  martian_destination,    // RFC 1812 §5.3.7
  local_fragment,         // a fragment addressed to us: only transit fragments are reassembled
  local_bad_checksum,     // echo request to us with a wrong ICMP checksum
  local_unsupported,      // to our address, but nothing here serves it
  gso_not_tcp,            // a super-frame (Frame::gso_size) that is not a whole TCP datagram
  // Reassembly of transit fragments (RFC 791 §3.2); each counts one datagram.
  reassembly_overlap,       // overlapping fragments with different data (RFC 5722 §4)
  reassembly_inconsistent,  // two last fragments, data past the last or past 65535, odd sizes
  reassembly_too_big,       // longer than RouterConfig::reassembly_max_bytes
  reassembly_timeout,       // incomplete after reassembly_timeout_ms
  reassembly_evicted,       // the oldest, when every context was busy
  reassembly_no_context,    // a fragment, when every context holds a datagram being sent
  // Forwarding.
  no_route,         // no next hop (ICMP 3/0 when the sender can be told)
  frag_needed,      // DF set and larger than the egress MTU: ICMP 3/4 (RFC 1191)
  df_too_big,       // the same, found only after translation: dropped silently
  gso_exceeds_mtu,  // a super-frame whose segments exceed the egress MTU, DF clear
  tx_exhausted,     // no free transmit buffer for a frame the router makes
  count_,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count_);

std::string_view to_string(DropReason r);

}  // namespace masq::router
