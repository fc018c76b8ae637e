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

#include <cstdint>

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

// Overwrites every Record Route and Timestamp option with NOPs and updates
// the header checksum incrementally (RFC 1624). Returns how many options
// it overwrote; the header's length and every other byte stay as they were.
std::uint32_t neutralise_recording_options(const net::Ipv4View& ip) noexcept;

}  // namespace masq::router
