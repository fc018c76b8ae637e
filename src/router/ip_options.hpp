// IPv4 options the router screens before a packet reaches the engine
// (RFC 7126 §4). Source routes (LSRR, SSRR) let a sender steer a packet
// past the NAT and name inside hops: refused by default (RFC 7126 §4.3.5,
// §4.4.5). Record Route and Timestamp are forwarded (RFC 7126 §4.7.5,
// §4.8.5 advise against dropping them), but hosts and routers behind the
// gateway write their addresses into them: in a packet leaving the LAN
// they are overwritten with NOPs, so no inside address crosses the NAT
// inside an option. Both work on a header parse_ipv4() accepted, whose
// options are well formed. Cold: only headers longer than 20 bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"

namespace masq::router {

// RFC 791 §3.1 option types, copy flag and class included.
inline constexpr std::uint8_t kOptionEnd = 0;
inline constexpr std::uint8_t kOptionNop = 1;
inline constexpr std::uint8_t kOptionRecordRoute = 7;
inline constexpr std::uint8_t kOptionTimestamp = 68;
inline constexpr std::uint8_t kOptionLooseSourceRoute = 131;
inline constexpr std::uint8_t kOptionStrictSourceRoute = 137;

// Whether the header carries a loose or strict source route.
bool has_source_route(const net::Ipv4View& ip) noexcept;

// What neutralise_recording_options() did: how many options it overwrote,
// and the checksum delta of every 16-bit word it changed, the header
// checksum's included, for a checksum that covers the header in turn (an
// ICMP message quoting it).
struct Neutralised {
  std::uint32_t options = 0;
  net::ChecksumDelta delta;
};

// Overwrites every Record Route and Timestamp option with NOPs and updates
// the header checksum incrementally (RFC 1624), so a checksum that was
// wrong stays wrong by as much. The header's length and every other byte
// stay as they were. `ip` must start at an even offset of any enclosing
// checksummed message.
Neutralised neutralise_recording_options(const net::Ipv4View& ip) noexcept;

// The same for the datagram an ICMP error quotes (the ICMP message of a
// whole datagram, `icmp_length` bytes at `icmp`), with the ICMP checksum
// updated too. Hosts write their own address into a Timestamp option of a
// datagram they receive and quote it in their errors. Returns the options
// overwritten; a quote the parser would not accept is left alone.
std::uint32_t neutralise_quoted_options(std::uint8_t* icmp, std::size_t icmp_length) noexcept;

}  // namespace masq::router
