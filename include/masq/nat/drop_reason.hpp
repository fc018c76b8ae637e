// DropReason: every reason the engine refuses a packet. This one enum is
// also the counter schema: Counters holds one counter per value, and the
// metrics, masqctl and the replay summary print them by to_string().
// Adding a reason = adding one line to MASQ_NAT_DROP_REASONS; the enum and
// its names are both expanded from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "masq/net/names.hpp"
#include "masq/net/parse.hpp"

namespace masq::nat {

// A new session found no room: the gateway's own limits.
#define MASQ_NAT_ALLOCATION_FAILURES(X)                                      \
  X(table_full)                                                              \
  X(ports_exhausted)                                                         \
  X(subscriber_limit)    /* too many subscribers (internal hosts) */         \
  X(pool_exhausted)      /* exclusive pool mode: no free external address */ \
  X(no_external_address) /* the WAN has no address (yet: DHCP) */

// A new session would take one host past its quota.
#define MASQ_NAT_QUOTA_HITS(X)                                               \
  X(subscriber_sessions) /* per-subscriber session quota (RFC 6888 REQ-5) */ \
  X(subscriber_ports)    /* per-subscriber port quota (RFC 6888 REQ-4) */    \
  X(subscriber_rate)     /* per-subscriber rate of new sessions */

// After none and the parser's refusals (MASQ_NET_PARSE_ERRORS, one for one).
#define MASQ_NAT_DROP_REASONS(X)                                                       \
  /* Refused by policy or state. */                                                    \
  X(ttl_expired)          /* TTL <= 1 on a packet to forward (RFC 1812 §5.3.1) */     \
  X(fragment)             /* the caller reassembles first (RFC 4787 REQ-14) */         \
  X(unsupported_protocol) /* not TCP, UDP or ICMP */                                   \
  X(unsupported_icmp)     /* ICMP type that is neither echo nor an error */            \
  X(martian_source)       /* a source that cannot be genuine on this side */           \
  X(source_not_inside)    /* LAN packet from outside the configured inside prefixes */ \
  X(not_for_us)           /* WAN packet to an address that is not ours */              \
  X(no_session)           /* unsolicited inbound packet (RFC 5382 REQ-4: silent) */    \
  X(tcp_not_syn)          /* a TCP packet other than SYN cannot open a session */      \
  /* Refused for lack of resources (answered with ICMP 3/13, RFC 5508 REQ-8). */       \
  MASQ_NAT_ALLOCATION_FAILURES(X)                                                      \
  MASQ_NAT_QUOTA_HITS(X)                                                               \
  /* ICMP error validation and translation (RFC 5508 §4). */                          \
  X(bad_icmp_checksum)                                                                 \
  X(icmp_error_malformed) /* the quoted datagram cannot be parsed */                   \
  X(icmp_error_bad_inner_checksum)                                                     \
  X(icmp_error_about_error) /* an ICMP error quoting an ICMP error */                  \
  X(icmp_error_no_session)

enum class DropReason : std::uint8_t {
  none,  // not a drop
  MASQ_NET_PARSE_ERRORS(MASQ_ENUMERATOR) MASQ_NAT_DROP_REASONS(MASQ_ENUMERATOR) count_,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count_);

std::string_view to_string(DropReason r);  // "unknown" for count_
std::optional<DropReason> drop_reason_named(std::string_view name);
DropReason from_parse_error(net::ParseError e);

}  // namespace masq::nat
