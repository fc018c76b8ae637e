// The gateway's echo server (RFC 792; RFC 1122 §3.2.2.6; RFC 1812 §4.3.3.6):
// an ICMP echo request to one of its addresses gets an echo reply carrying
// the same identifier, sequence number and data, from the address it was
// sent to. The reply has a plain 20-byte header: IP options of the request
// (record route, timestamp: a SHOULD in RFC 1122 §3.2.2.6) are not echoed.
// Cold: pings of the gateway only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "masq/net/parse.hpp"

namespace masq::router {

struct EchoReplySpec {
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = 64;
};

// `request` is an unfragmented ICMP echo request that parse_ipv4 accepted.
// Writes the reply into `out` and returns its length, or 0 when the
// request's ICMP checksum is wrong (the request is then silently discarded)
// or `out` is too small.
std::size_t build_echo_reply(const net::ParsedPacket& request, const EchoReplySpec& spec,
                             std::span<std::uint8_t> out) noexcept;

}  // namespace masq::router
