// DropReason: every reason the router (not the engine) refuses a frame or
// a packet. Like nat::DropReason, this one enum is the counter schema:
// RouterCounters holds one counter per value and the metrics print them by
// to_string(). Drops the engine decides are counted by the engine only.
// The router parses every IPv4 packet first, so the parser's refusals
// (MASQ_NET_PARSE_ERRORS) are router reasons, under the parser's names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "masq/net/names.hpp"
#include "masq/net/parse.hpp"

namespace masq::router {

// Before the parser's refusals: the link layer and ARP.
#define MASQ_ROUTER_LINK_DROP_REASONS(X)                                                       \
  /* Ethernet. */                                                                              \
  X(frame_truncated)       /* shorter than an Ethernet header */                               \
  X(not_our_mac)           /* unicast to another station, or a group address (not ARP) */      \
  X(unsupported_ethertype) /* neither IPv4 nor ARP (802.1Q tags included) */                   \
  X(batch_too_large)       /* frames beyond RouterConfig::max_batch in one call */             \
  /* ARP (RFC 826). */                                                                         \
  X(arp_malformed)        /* not Ethernet/IPv4 ARP, or an unknown opcode */                    \
  X(arp_other_target)     /* about an address that is not ours (normal on a shared link) */    \
  X(arp_sender_off_link)  /* sender address outside the side's prefix, or a probe (0.0.0.0) */ \
  X(arp_address_conflict) /* another station claims one of our addresses */                    \
  X(arp_cache_full)       /* no room for a neighbour */                                        \
  X(arp_queue_overflow)   /* a packet waiting for resolution was dropped (queue bound) */      \
  X(arp_unresolved)       /* the next hop never answered (ICMP 3/1, RFC 1812 §4.3.3.1) */     \
  X(arp_queue_too_large)  /* too large for a queue slot (reassembled, a super-frame) */

// After the parser's refusals: IPv4 checks, reassembly and forwarding.
#define MASQ_ROUTER_IP_DROP_REASONS(X)                                                             \
  /* IPv4 before the engine. */                                                                    \
  X(exceeds_ingress_mtu)   /* larger than the MTU of the side it came in on */                     \
  X(link_broadcast_ipv4)   /* IPv4 in a broadcast or multicast frame (RFC 1812 §5.3.4) */         \
  X(broadcast_destination) /* limited or directed broadcast, or multicast (RFC 1812 §5.3.5) */    \
  X(martian_source)        /* RFC 1812 §5.3.7 */                                                  \
  X(martian_destination)   /* RFC 1812 §5.3.7 */                                                  \
  X(source_route)          /* LSRR or SSRR option (RFC 7126 §4.3, §4.4; allow_source_route) */   \
  X(source_guard)          /* LAN source whose IP-MAC binding ARP does not know (source_guard) */  \
  X(local_fragment)        /* a fragment addressed to us: only transit ones are reassembled */     \
  X(local_bad_checksum)    /* echo request or local UDP to us with a wrong checksum or length */   \
  X(pcp_from_wan)          /* PCP/NAT-PMP request from the WAN (RFC 6887 §8.3: LAN side only) */  \
  X(local_unsupported)     /* to our address, but nothing here serves it */                        \
  X(gso_not_tcp)           /* a super-frame (Frame::gso_size) that is not a whole TCP datagram */  \
  X(hand_off_too_large) /* another worker's, but larger than the MTU (super-frame, reassembled) */ \
  /* Reassembly of transit fragments (RFC 791 §3.2); each counts one datagram. */                 \
  X(reassembly_overlap)      /* any overlapping fragments, identical bytes too (RFC 5722 §4) */   \
  X(reassembly_inconsistent) /* two last fragments, data past the last or 65535, odd sizes */      \
  X(reassembly_too_big)      /* longer than RouterConfig::reassembly_max_bytes */                  \
  X(reassembly_timeout)      /* incomplete after reassembly_timeout_ms */                          \
  X(reassembly_evicted)      /* the oldest, when every context was busy */                         \
  X(reassembly_no_context)   /* a fragment, when every context holds a datagram being sent */      \
  /* Forwarding. */                                                                                \
  X(no_route)        /* no next hop (ICMP 3/0 when the sender can be told) */                      \
  X(frag_needed)     /* DF set and larger than the egress MTU: ICMP 3/4 (RFC 1191) */              \
  X(df_too_big)      /* the same, found only after translation: dropped silently */                \
  X(gso_exceeds_mtu) /* a super-frame whose segments exceed the egress MTU, DF clear */            \
  X(tx_exhausted)    /* no free transmit buffer for a frame the router makes */

enum class DropReason : std::uint8_t {
  none,  // not a drop
  MASQ_ROUTER_LINK_DROP_REASONS(MASQ_ENUMERATOR) MASQ_NET_PARSE_ERRORS(MASQ_ENUMERATOR)
      MASQ_ROUTER_IP_DROP_REASONS(MASQ_ENUMERATOR) count_,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count_);

std::string_view to_string(DropReason r);  // "unknown" for count_
std::optional<DropReason> drop_reason_named(std::string_view name);
DropReason from_parse_error(net::ParseError e);

}  // namespace masq::router
