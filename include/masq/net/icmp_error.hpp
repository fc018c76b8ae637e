// Building ICMP error messages (RFC 792, RFC 1812 §4.3.2) for the gateway's
// own use: time exceeded, fragmentation needed, administratively prohibited.
// Cold path: called for dropped packets only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "masq/net/ipv4_addr.hpp"

namespace masq::net {

struct IcmpErrorSpec {
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint16_t next_hop_mtu = 0;  // only for type 3 code 4 (RFC 1191)
  Ipv4Addr src;                    // the gateway address that reports the error
  std::uint8_t ttl = 64;
  std::uint16_t ip_id = 0;  // the error's IPv4 Identification (RFC 6864: it may be fragmented)
};

// RFC 1812 §4.3.2.3: quote as much of the datagram as fits in 576 bytes.
inline constexpr std::size_t kIcmpErrorMaxLength = 576;

// Writes an IPv4 packet carrying the ICMP error about `offending` (a packet
// that parse_ipv4 accepted) into `out`, returns its length, or 0 when
// RFC 1812 §4.3.2.7 forbids an error: the offending packet is itself an
// ICMP error, a non-first fragment, or came from a broadcast, multicast,
// loopback or unspecified source.
std::size_t build_icmp_error(std::span<const std::uint8_t> offending, const IcmpErrorSpec& spec,
                             std::span<std::uint8_t> out) noexcept;

}  // namespace masq::net
