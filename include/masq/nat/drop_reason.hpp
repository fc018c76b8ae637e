// DropReason: every reason the engine refuses a packet. This one enum is
// also the counter schema: Counters holds one counter per value, and the
// metrics, masqctl and the replay summary print them by to_string().
// Adding a reason = adding it here and in to_string(); nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "masq/net/parse.hpp"

namespace masq::nat {

enum class DropReason : std::uint8_t {
  none,  // not a drop
  // Refused by the parser (net::ParseError, one for one).
  truncated,
  bad_version,
  bad_ihl,
  bad_total_length,
  bad_ip_checksum,
  bad_ip_options,
  truncated_l4,
  bad_tcp_offset,
  bad_udp_length,
  // Refused by policy or state.
  ttl_expired,           // TTL <= 1 on a packet to forward (RFC 1812 §5.3.1)
  fragment,              // a fragment: the caller reassembles first (RFC 4787 REQ-14)
  unsupported_protocol,  // not TCP, UDP or ICMP
  unsupported_icmp,      // ICMP type that is neither echo nor an error
  martian_source,        // a source that cannot be genuine on this side
  source_not_inside,     // LAN packet from outside the configured inside prefixes
  not_for_us,            // WAN packet to an address that is not ours
  no_session,            // unsolicited inbound packet (RFC 5382 REQ-4: silent)
  tcp_not_syn,           // a TCP packet other than SYN cannot open a session
  // Refused for lack of resources (answered with ICMP 3/13, RFC 5508 REQ-8).
  table_full,
  ports_exhausted,
  subscriber_limit,     // too many subscribers (internal hosts)
  subscriber_sessions,  // per-subscriber session quota (RFC 6888 REQ-5)
  subscriber_ports,     // per-subscriber port quota (RFC 6888 REQ-4)
  pool_exhausted,       // exclusive pool mode: no free external address
  // ICMP error validation and translation (RFC 5508 §4).
  bad_icmp_checksum,
  icmp_error_malformed,  // the quoted datagram cannot be parsed
  icmp_error_bad_inner_checksum,
  icmp_error_about_error,  // an ICMP error quoting an ICMP error
  icmp_error_no_session,
  count_,
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count_);

std::string_view to_string(DropReason r);
DropReason from_parse_error(net::ParseError e);

}  // namespace masq::nat
