// PCP (RFC 6887) wire formats: request decoding in the order of checks of
// §8.3 with the result code each failure earns, option parsing (§7.3,
// §13), and response encoding (§7.2, §11.4, §12.3, §14.1).
// Pure and cold: spans in, fixed-size structs out, no allocation. A
// decoded request holds copies, never pointers into the datagram.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/pcp/names.hpp"

namespace masq::pcp {

inline constexpr std::uint16_t kServerPort = 5351;    // RFC 6887 §19.1
inline constexpr std::uint16_t kClientPort = 5350;    // unsolicited ANNOUNCE target
inline constexpr std::uint8_t kPcpVersion = 2;        // RFC 6887 §9
inline constexpr std::size_t kMaxMessage = 1100;      // RFC 6887 §7
inline constexpr std::size_t kHeaderSize = 24;        // §7.1, §7.2
inline constexpr std::size_t kMapBodySize = 36;       // §11.1
inline constexpr std::size_t kPeerBodySize = 56;      // §12.1
inline constexpr std::size_t kOptionHeaderSize = 4;   // §7.3
inline constexpr std::size_t kThirdPartyLength = 16;  // §13.1
inline constexpr std::size_t kFilterLength = 20;      // §13.3
inline constexpr std::uint8_t kResponseBit = 0x80;

// All-hosts multicast group of RFC 6887 §14.1.3 and RFC 6886 §3.2.1.
inline constexpr net::Ipv4Addr kAllHostsGroup = net::Ipv4Addr::from_octets(224, 0, 0, 1);

enum class Opcode : std::uint8_t { announce = 0, map = 1, peer = 2 };

enum class OptionCode : std::uint8_t { third_party = 1, prefer_failure = 2, filter = 3 };
// Options 0..127 must be understood or refused; 128..255 may be ignored (§7.3).
inline constexpr std::uint8_t kFirstOptionalOption = 128;

// A 128-bit PCP address field; IPv4 travels IPv4-mapped (::ffff:a.b.c.d, §5).
using AddrBytes = std::array<std::uint8_t, 16>;
using Nonce = std::array<std::uint8_t, 12>;

AddrBytes mapped(net::Ipv4Addr a);
// The IPv4 address of an IPv4-mapped field; nullopt for any other IPv6.
std::optional<net::Ipv4Addr> as_ipv4(const AddrBytes& b);
// "No suggestion" in a suggested address: :: or ::ffff:0.0.0.0 (§11.1).
bool is_unspecified(const AddrBytes& b);

struct FilterOption {
  std::uint8_t prefix_length = 0;  // over the 128-bit field; 0 = every peer
  std::uint16_t remote_port = 0;   // 0 = every port
  AddrBytes remote_addr{};
};

// The most FILTER options a datagram of kMaxMessage can carry after a MAP
// body, so decoding never loses one; policy bounds come later.
inline constexpr std::size_t kMaxFilterOptions =
    (kMaxMessage - kHeaderSize - kMapBodySize) / (kOptionHeaderSize + kFilterLength);

struct Options {
  std::optional<AddrBytes> third_party;
  bool prefer_failure = false;
  std::uint8_t filter_count = 0;
  std::array<FilterOption, kMaxFilterOptions> filters{};
};

struct Request {
  std::uint8_t version = 0;
  Opcode opcode = Opcode::announce;
  std::uint32_t lifetime_s = 0;
  AddrBytes client_addr{};
  // MAP and PEER (§11.1, §12.1).
  Nonce nonce{};
  std::uint8_t protocol = 0;
  std::uint16_t internal_port = 0;
  std::uint16_t suggested_port = 0;
  AddrBytes suggested_addr{};
  // PEER only.
  std::uint16_t peer_port = 0;
  AddrBytes peer_addr{};
  Options options;
};

// A decode either yields a request, asks for a silent drop, or names the
// result code of an error response (built with encode_error_response).
struct Decoded {
  enum class Kind : std::uint8_t { request, drop, error };
  Kind kind = Kind::drop;
  DropReason drop = DropReason::none;
  ResultCode error = ResultCode::success;
  Request request;
};

// For a datagram whose first octet is not 0 (NAT-PMP, RFC 6886). Checks, in
// order (§8.3, §7.3): < 2 octets or R bit set: drop; version != 2:
// UNSUPP_VERSION; < 24 octets: drop; > 1100 or not a multiple of 4:
// MALFORMED_REQUEST; unknown opcode: UNSUPP_OPCODE; body too short:
// MALFORMED_REQUEST; options: truncated, bad length, repeated, bad FILTER
// prefix: MALFORMED_OPTION; unknown mandatory or not valid for the opcode:
// UNSUPP_OPTION; unknown optional: skipped.
Decoded decode_request(std::span<const std::uint8_t> datagram);

// Error response (§7.2, §8.3): the request copied (up to 1100 octets,
// zero-padded to a multiple of 4), with the response header written over
// its first 24 octets: version 2, R bit, result, lifetime, epoch, reserved
// zero. Returns the length, or 0 when `out` is too small.
std::size_t encode_error_response(std::span<const std::uint8_t> request, ResultCode result,
                                  std::uint32_t lifetime_s, std::uint32_t epoch_s,
                                  std::span<std::uint8_t> out);

struct Response {
  Opcode opcode = Opcode::announce;
  ResultCode result = ResultCode::success;
  std::uint32_t lifetime_s = 0;
  std::uint32_t epoch_s = 0;
  // MAP and PEER: the request's fields with the assigned external endpoint.
  Nonce nonce{};
  std::uint8_t protocol = 0;
  std::uint16_t internal_port = 0;
  std::uint16_t external_port = 0;
  AddrBytes external_addr{};
  std::uint16_t peer_port = 0;  // PEER
  AddrBytes peer_addr{};        // PEER
};

// A response with its opcode body; `echoed` are the options the server
// acted on (§7.3: included in the response). Returns the length, or 0 when
// it does not fit `out` or kMaxMessage.
std::size_t encode_response(const Response& r, const Options& echoed, std::span<std::uint8_t> out);

// The unsolicited ANNOUNCE of §14.1.3: a SUCCESS ANNOUNCE response.
std::size_t encode_announce(std::uint32_t epoch_s, std::span<std::uint8_t> out);

}  // namespace masq::pcp
