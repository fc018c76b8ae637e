// RouterCounters: what the router did, beside what the engine counts. One
// counter per DropReason plus traffic and ARP activity, per side where the
// side matters. Plain integers, written only by the router's own thread;
// readers take a copy between calls. Each counter is listed once
// (MASQ_ROUTER_SIDE_COUNTERS, MASQ_ROUTER_COUNTERS): the fields and
// kRouterCounterFields, the names masqctl and metrics read (a per-side
// counter x is lan_x and wan_x), both come from those lists.
#pragma once

#include <array>
#include <cstdint>

#include "masq/net/names.hpp"
#include "masq/net/side.hpp"
#include "masq/router/drop_reason.hpp"

namespace masq::router {

// One counter per side, indexed by RouterCounters::side_index().
#define MASQ_ROUTER_SIDE_COUNTERS(X)                                        \
  X(rx_frames)                                                              \
  X(tx_frames)                                                              \
  X(to_engine)  /* transit packets handed to the engine, by arrival side */ \
  X(to_host)    /* frames handed to the side's host interface */            \
  X(from_host)  /* frames the host interface sent out on the side's wire */ \
  X(handed_off) /* packets that belong to another worker, given to it */    \
  X(handed_in)  /* ... and taken from another worker */

#define MASQ_ROUTER_COUNTERS(X)                                               \
  X(arp_requests_received)                                                    \
  X(arp_replies_received)                                                     \
  X(arp_requests_sent) /* resolutions and polls */                            \
  X(arp_replies_sent)                                                         \
  X(arp_announcements_sent) /* gratuitous ARP (RFC 5227 §2.3) */             \
  X(arp_queued)             /* packets that waited for a next hop */          \
  X(arp_released)           /* ... and went out once it answered */           \
  X(echo_replies_sent)                                                        \
  X(local_delivered) /* datagrams handed out for a local service (PCP) */     \
  X(icmp_errors_sent)                                                         \
  X(icmp_errors_suppressed)   /* errors RFC 1812 §4.3.2.7 forbids sending */ \
  X(icmp_errors_rate_limited) /* due, but over icmp_rate_limit: not sent */   \
  X(fragments_sent)                                                           \
  X(fragments_received)    /* transit fragments handed to the reassembler */  \
  X(datagrams_reassembled) /* ... and the datagrams they made whole */        \
  X(options_neutralised)   /* Record Route / Timestamp options NOPed in LAN packets */

struct RouterCounters {
  using PerSide = std::array<std::uint64_t, 2>;  // indexed by side_index()

  std::array<std::uint64_t, kDropReasonCount> drops{};
#define MASQ_ROUTER_SIDE_MEMBER(name) PerSide name{};
  MASQ_ROUTER_SIDE_COUNTERS(MASQ_ROUTER_SIDE_MEMBER)
#undef MASQ_ROUTER_SIDE_MEMBER
  MASQ_ROUTER_COUNTERS(MASQ_COUNTER_MEMBER)

  static constexpr std::size_t side_index(Side s) {
    return s == Side::lan ? 0 : 1;
  }
  std::uint64_t drop(DropReason r) const {
    return drops[static_cast<std::size_t>(r)];
  }
  void count(DropReason r) {
    ++drops[static_cast<std::size_t>(r)];
  }
  std::uint64_t total_drops() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 1; i < drops.size(); ++i) sum += drops[i];
    return sum;
  }
};

// Every counter but the drops by name: the per-side ones first, LAN then
// WAN, then the rest in declaration order.
// The side's name is the Side enumerator's spelling.
#define MASQ_ROUTER_SIDE_FIELD(side, name)                                                   \
  net::CounterField<RouterCounters>{#side "_" #name, [](const RouterCounters& c) {           \
                                      return c.name[RouterCounters::side_index(Side::side)]; \
                                    }},
#define MASQ_ROUTER_LAN_FIELD(name) MASQ_ROUTER_SIDE_FIELD(lan, name)
#define MASQ_ROUTER_WAN_FIELD(name) MASQ_ROUTER_SIDE_FIELD(wan, name)
#define MASQ_ROUTER_FIELD(name) \
  net::CounterField<RouterCounters>{#name, [](const RouterCounters& c) { return c.name; }},
inline constexpr std::array kRouterCounterFields{
    MASQ_ROUTER_SIDE_COUNTERS(MASQ_ROUTER_LAN_FIELD)
        MASQ_ROUTER_SIDE_COUNTERS(MASQ_ROUTER_WAN_FIELD) MASQ_ROUTER_COUNTERS(MASQ_ROUTER_FIELD)};
#undef MASQ_ROUTER_LAN_FIELD
#undef MASQ_ROUTER_WAN_FIELD
#undef MASQ_ROUTER_FIELD
#undef MASQ_ROUTER_SIDE_FIELD

}  // namespace masq::router
