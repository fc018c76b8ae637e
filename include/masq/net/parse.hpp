// parse_ipv4: the one place that decides whether bytes are an IPv4 packet
// masq can work on, and if not, exactly why (the reason becomes a counted
// drop). Checks: version, IHL, total length, header checksum, option
// structure, and that the transport header of a first fragment fits.
// Hot path: no allocation; the header checksum costs one pass over 20-60 bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "masq/net/ipv4_view.hpp"

namespace masq::net {

enum class ParseError : std::uint8_t {
  ok,
  truncated,         // fewer bytes than a minimal IPv4 header
  bad_version,       // version field is not 4
  bad_ihl,           // IHL below 5 or beyond the captured bytes
  bad_total_length,  // total length below the header or beyond the captured bytes
  bad_ip_checksum,   // header checksum does not verify
  bad_ip_options,    // an option runs past the header or has a length below 2
  truncated_l4,      // first fragment too short for its TCP/UDP/ICMP header
  bad_tcp_offset,    // TCP data offset below 5 or past the datagram
  bad_udp_length,    // UDP length field below 8 or past the datagram
};

std::string_view to_string(ParseError e);

struct ParsedPacket {
  Ipv4View ip;
  std::uint8_t* l4 = nullptr;  // null for non-first fragments
  std::size_t l4_length = 0;   // bytes of transport header + payload present
};

struct ParseResult {
  ParseError error = ParseError::ok;
  ParsedPacket packet;
};

// `bytes` may hold trailing link-layer padding beyond the total length.
ParseResult parse_ipv4(std::span<std::uint8_t> bytes) noexcept;

// The same header checks for a datagram quoted inside an ICMP error
// (RFC 5508 §4.3): the quote may be cut short, so the total length may
// exceed the bytes present, and the header checksum is optional.
struct QuoteCheck {
  bool verify_checksum = true;
};
ParseResult parse_quoted_ipv4(std::span<std::uint8_t> bytes, QuoteCheck check) noexcept;

}  // namespace masq::net
