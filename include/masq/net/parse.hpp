// parse_ipv4: the one place that decides whether bytes are an IPv4 packet
// masq can work on, and if not, exactly why (the reason becomes a counted
// drop). Checks: version, IHL, total length, header checksum, option
// structure, and that the transport header of a first fragment fits.
// Hot path: no allocation; the header checksum costs one pass over 20-60 bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"
#include "masq/net/l4_views.hpp"
#include "masq/net/names.hpp"

namespace masq::net {

// Every refusal of the parser, in order. nat::DropReason and
// router::DropReason list these as their own first reasons, so a refusal
// is counted under the same name wherever it is counted.
#define MASQ_NET_PARSE_ERRORS(X)                                                   \
  X(truncated)        /* fewer bytes than a minimal IPv4 header */                 \
  X(bad_version)      /* version field is not 4 */                                 \
  X(bad_ihl)          /* IHL below 5 or beyond the captured bytes */               \
  X(bad_total_length) /* total length below the header or beyond the bytes */      \
  X(bad_ip_checksum)  /* header checksum does not verify */                        \
  X(bad_ip_options)   /* an option runs past the header or has a length below 2 */ \
  X(truncated_l4)     /* first fragment too short for its TCP/UDP/ICMP header */   \
  X(bad_tcp_offset)   /* TCP data offset below 5 or past the datagram */           \
  X(bad_udp_length)   /* UDP length field below 8 or past the datagram */

enum class ParseError : std::uint8_t { ok, MASQ_NET_PARSE_ERRORS(MASQ_ENUMERATOR) };

inline constexpr std::array kParseErrorNames{std::string_view{"ok"},
                                             MASQ_NET_PARSE_ERRORS(MASQ_NAME)};

constexpr std::string_view to_string(ParseError e) {
  return name_of(kParseErrorNames, e);
}
constexpr std::optional<ParseError> parse_error_named(std::string_view name) {
  return value_named<ParseError>(kParseErrorNames, name);
}

struct ParsedPacket {
  Ipv4View ip;
  std::uint8_t* l4 = nullptr;  // null for non-first fragments
  std::size_t l4_length = 0;   // bytes of transport header + payload present
  // Not the parser's finding but how the packet came: its TCP checksum
  // field holds only the pseudo-header seed of a checksum left to the
  // egress device (Linux CHECKSUM_PARTIAL, as TCP super-frames carry it).
  bool l4_seed = false;
};

struct ParseResult {
  ParseError error = ParseError::ok;
  ParsedPacket packet;
};

// Every check, out of line; names the reason for a refusal.
ParseResult parse_ipv4_checked(std::span<std::uint8_t> bytes) noexcept;

// The shape nearly every packet has (a 20-byte header, not a fragment, a
// complete TCP/UDP/ICMP header) is accepted inline in a few dozen
// instructions. Returns false, leaving `out` unspecified, for everything
// else, including everything parse_ipv4_checked() would refuse: the route
// accepts only what the full parser accepts, with the same result
// (tests/net/parse_test.cpp holds them to that over mutated packets).
[[gnu::always_inline]] inline bool parse_plain_ipv4(std::span<std::uint8_t> bytes,
                                                    ParsedPacket& out) noexcept {
  constexpr std::size_t kMinL4 = kUdpHeader;  // = kIcmpHeader; TCP is checked below
  std::uint8_t* const p = bytes.data();
  if (bytes.size() < kIpv4MinHeader + kMinL4) return false;
  const std::uint32_t w0 = load_be32(p);      // version, IHL, TOS, total length
  const std::uint32_t w1 = load_be32(p + 4);  // id, flags, fragment offset
  const std::uint32_t w2 = load_be32(p + 8);  // TTL, protocol, checksum
  const std::uint32_t total = w0 & 0xFFFF;
  const bool plain = (w0 >> 24) == 0x45 && (w1 & 0x3FFF) == 0 && total >= kIpv4MinHeader + kMinL4 &&
                     total <= bytes.size();
  if (!plain || checksum_fold(std::uint64_t{w0} + w1 + w2 + load_be32(p + 12) +
                              load_be32(p + 16)) != 0xFFFF) {
    return false;
  }
  std::uint8_t* const l4 = p + kIpv4MinHeader;
  const std::size_t l4_length = total - kIpv4MinHeader;
  switch ((w2 >> 16) & 0xFF) {
    case static_cast<std::uint8_t>(Proto::tcp): {
      if (l4_length < kTcpMinHeader) return false;
      const std::size_t offset = std::size_t{l4[12]} >> 4 << 2;
      if (offset < kTcpMinHeader || offset > l4_length) return false;
      break;
    }
    case static_cast<std::uint8_t>(Proto::udp): {
      const std::size_t length = load_be16(l4 + 4);
      if (length < kUdpHeader || length > l4_length) return false;
      break;
    }
    default:
      break;
  }
  out = {Ipv4View(p), l4, l4_length};
  return true;
}

// `bytes` may hold trailing link-layer padding beyond the total length.
inline ParseResult parse_ipv4(std::span<std::uint8_t> bytes) noexcept {
  ParseResult r;
  if (parse_plain_ipv4(bytes, r.packet)) return r;
  return parse_ipv4_checked(bytes);
}

// The same header checks for a datagram quoted inside an ICMP error
// (RFC 5508 §4.3): the quote may be cut short, so the total length may
// exceed the bytes present, and the header checksum is optional.
struct QuoteCheck {
  bool verify_checksum = true;
};
ParseResult parse_quoted_ipv4(std::span<std::uint8_t> bytes, QuoteCheck check) noexcept;

}  // namespace masq::net
