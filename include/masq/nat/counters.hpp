// Counters kept by the engine: one per drop reason plus the traffic that
// passed. Plain integers, written only by the engine's own thread; readers
// take a copy (a snapshot) between batches. The traffic counters are
// listed once (MASQ_NAT_COUNTERS): the fields and kCounterFields, the
// names masqctl, metrics and the scenario assertions read, both come
// from that list.
#pragma once

#include <array>
#include <cstdint>

#include "masq/nat/drop_reason.hpp"
#include "masq/net/names.hpp"

namespace masq::nat {

#define MASQ_NAT_COUNTERS(X)                                             \
  X(in2out)       /* translated LAN -> WAN */                            \
  X(out2in)       /* translated WAN -> LAN */                            \
  X(hairpinned)   /* LAN -> LAN through an external address */           \
  X(untranslated) /* excluded destinations, inside-to-inside */          \
  X(icmp_errors_translated)                                              \
  X(sessions_created)                                                    \
  X(sessions_expired)                                                    \
  X(sessions_deleted)      /* by the operator (remove_sessions_from) */  \
  X(sessions_readdressed)  /* their external address went (readdress) */ \
  X(sessions_reconfigured) /* a new config no longer allows them */      \
  X(mappings_created)                                                    \
  X(syns_held)      /* unsolicited SYNs held (RFC 5382 REQ-4) */         \
  X(syns_released)  /* held 6 s with no outbound SYN: answered */        \
  X(mss_clamped)    /* SYNs whose MSS option was lowered */              \
  X(events_dropped) /* session events lost: the event ring was full */

struct Counters {
  std::array<std::uint64_t, kDropReasonCount> drops{};
  MASQ_NAT_COUNTERS(MASQ_COUNTER_MEMBER)

  std::uint64_t drop(DropReason r) const { return drops[static_cast<std::size_t>(r)]; }
  std::uint64_t total_drops() const {
    std::uint64_t sum = 0;
    for (std::size_t i = 1; i < drops.size(); ++i) sum += drops[i];
    return sum;
  }
};

// The traffic counters by name, in declaration order (drops are named by
// DropReason).
#define MASQ_NAT_COUNTER_FIELD(name) \
  net::CounterField<Counters>{#name, [](const Counters& c) { return c.name; }},
inline constexpr std::array kCounterFields{MASQ_NAT_COUNTERS(MASQ_NAT_COUNTER_FIELD)};
#undef MASQ_NAT_COUNTER_FIELD

}  // namespace masq::nat
