// NAT-PMP (RFC 6886) wire formats: request decoding (§3.2, §3.3), the
// responses of §3.2 (external address), §3.3 (mappings) and §3.5 (errors),
// and the address-change announcement of §3.2.1. A NAT-PMP request is a
// datagram to the PCP port whose first octet (the version) is 0 (RFC 6887
// §9). Pure and cold: spans in, structs out, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "masq/net/ipv4_addr.hpp"
#include "masq/pcp/names.hpp"

namespace masq::pcp {

inline constexpr std::uint8_t kNatPmpVersion = 0;
inline constexpr std::size_t kNatPmpHeaderSize = 8;     // vers, op, result, epoch (§3.5)
inline constexpr std::size_t kNatPmpAddressReply = 12;  // §3.2
inline constexpr std::size_t kNatPmpMapRequest = 12;    // §3.3
inline constexpr std::size_t kNatPmpMapReply = 16;      // §3.3
inline constexpr std::uint8_t kNatPmpResponseBit = 0x80;

enum class NatPmpOp : std::uint8_t { external_address = 0, map_udp = 1, map_tcp = 2 };

struct NatPmpRequest {
  NatPmpOp op = NatPmpOp::external_address;
  std::uint16_t internal_port = 0;
  std::uint16_t suggested_port = 0;
  std::uint32_t lifetime_s = 0;
};

struct NatPmpDecoded {
  enum class Kind : std::uint8_t { request, drop, error };
  Kind kind = Kind::drop;
  DropReason drop = DropReason::none;
  NatPmpResult error = NatPmpResult::success;
  std::uint8_t raw_op = 0;  // echoed in an error answer
  NatPmpRequest request;
};

// Checks, in order: < 2 octets: drop; version != 0: UNSUPPORTED_VERSION;
// op >= 128 (a response): drop; op > 2: UNSUPPORTED_OPCODE; a map request
// shorter than 12 octets: drop. Octets past an opcode's layout are ignored.
NatPmpDecoded decode_natpmp_request(std::span<const std::uint8_t> datagram);

// §3.5: the 8-octet answer to an unsupported version or opcode.
std::size_t encode_natpmp_error(std::uint8_t raw_op, NatPmpResult result, std::uint32_t epoch_s,
                                std::span<std::uint8_t> out);
// §3.2: op 128; also the announcement of §3.2.1 (sent to 224.0.0.1:5350).
std::size_t encode_natpmp_address(NatPmpResult result, std::uint32_t epoch_s,
                                  net::Ipv4Addr external, std::span<std::uint8_t> out);
// §3.3: op 129 or 130.
std::size_t encode_natpmp_map(NatPmpOp op, NatPmpResult result, std::uint32_t epoch_s,
                              std::uint16_t internal_port, std::uint16_t external_port,
                              std::uint32_t lifetime_s, std::span<std::uint8_t> out);

}  // namespace masq::pcp
