// PacketSpec: an IPv4 packet described field by field, for the test packet
// builder. Every field has a sensible default; the `*_override` and
// `corrupt_*` fields exist to make malformed packets on purpose. Cold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "masq/net/ipv4_addr.hpp"

namespace masq::test {

enum class L4Kind : std::uint8_t { tcp, udp, icmp, other };

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                              kUrg = 0x20, kCwr = 0x80;
}

struct PacketSpec {
  // When non-empty the packet is exactly these bytes; every other field is ignored.
  std::vector<std::uint8_t> raw;

  // IPv4 header (RFC 791).
  std::uint8_t version = 4;
  std::uint8_t tos = 0;
  std::uint16_t ip_id = 1000;
  bool dont_fragment = false;
  bool more_fragments = false;
  std::uint16_t fragment_offset_bytes = 0;  // a multiple of 8
  std::uint8_t ttl = 64;
  net::Ipv4Addr src;
  net::Ipv4Addr dst;
  std::vector<std::uint8_t> ip_options;  // padded with EOL to a multiple of 4
  std::optional<std::uint8_t> ihl_override;
  std::optional<std::uint16_t> total_length_override;
  std::optional<std::uint8_t> protocol_override;  // required for L4Kind::other
  bool corrupt_ip_checksum = false;

  // Transport.
  L4Kind kind = L4Kind::udp;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t tcp_seq = 1000;
  std::uint32_t tcp_ack = 0;
  std::uint8_t tcp_flags = tcp_flag::kAck;
  std::uint16_t tcp_window = 65535;
  std::vector<std::uint8_t> tcp_options;            // padded with EOL to a multiple of 4
  std::optional<std::uint8_t> tcp_offset_override;  // in 32-bit words
  std::optional<std::uint16_t> udp_length_override;
  bool udp_no_checksum = false;  // RFC 768: a zero checksum means "none"
  // TCP: the checksum field holds the folded pseudo-header sum, the seed
  // Linux leaves for the device to finish (CHECKSUM_PARTIAL, super-frames).
  bool tcp_checksum_seed = false;
  std::uint8_t icmp_type = 8;
  std::uint8_t icmp_code = 0;
  // The four bytes after the ICMP checksum: identifier and sequence number
  // for echo, "unused" (or next-hop MTU in the low half, RFC 1191) for errors.
  std::uint16_t icmp_rest_high = 0;
  std::uint16_t icmp_rest_low = 0;
  bool corrupt_l4_checksum = false;

  // An ICMP error's quoted datagram: empty, or exactly one packet.
  std::vector<PacketSpec> inner;
  // How many bytes of the built inner datagram the error carries (all when unset).
  std::optional<std::size_t> quote_bytes;

  std::vector<std::uint8_t> payload;
  // Cut the finished packet to this many bytes.
  std::optional<std::size_t> truncate_to;
};

// The payload `len=N` stands for: N bytes of a fixed pattern.
std::vector<std::uint8_t> pattern_payload(std::size_t length);

}  // namespace masq::test
