#include "support/packet_builder.hpp"

#include <algorithm>

#include "masq/net/byte_order.hpp"
#include "support/inet_checksum.hpp"

namespace masq::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;

Bytes padded_to_words(const Bytes& options) {
  Bytes out = options;
  out.resize((out.size() + 3) / 4 * 4, 0);  // EOL (0) pads, RFC 791 §3.1
  return out;
}

std::uint8_t protocol_number(const PacketSpec& s) {
  if (s.protocol_override) return *s.protocol_override;
  switch (s.kind) {
    case L4Kind::tcp:
      return kProtoTcp;
    case L4Kind::udp:
      return kProtoUdp;
    case L4Kind::icmp:
      return kProtoIcmp;
    case L4Kind::other:
      break;
  }
  return 0;
}

// A one's complement change that can never cancel out: flipping the low bit
// moves the sum by exactly one. A UDP checksum must not become 0 ("none").
std::uint16_t damaged(std::uint16_t checksum) {
  const auto flipped = static_cast<std::uint16_t>(checksum ^ 0x0001);
  return flipped == 0 ? static_cast<std::uint16_t>(checksum ^ 0x0002) : flipped;
}

// The TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768).
OnesSum pseudo_header(const PacketSpec& s, std::uint8_t proto, const Bytes& segment) {
  OnesSum sum;
  sum.add_u32(s.src.value());
  sum.add_u32(s.dst.value());
  sum.add_u16(proto);
  sum.add_u16(static_cast<std::uint16_t>(segment.size()));
  return sum;
}

// The pseudo-header plus the segment.
std::uint16_t transport_checksum(const PacketSpec& s, std::uint8_t proto, const Bytes& segment) {
  OnesSum sum = pseudo_header(s, proto, segment);
  sum.add(segment);
  return sum.checksum();
}

Bytes build_tcp(const PacketSpec& s) {
  const Bytes options = padded_to_words(s.tcp_options);
  Bytes seg(20 + options.size(), 0);
  net::store_be16(seg.data(), s.src_port);
  net::store_be16(seg.data() + 2, s.dst_port);
  net::store_be32(seg.data() + 4, s.tcp_seq);
  net::store_be32(seg.data() + 8, s.tcp_ack);
  const auto words = s.tcp_offset_override.value_or(static_cast<std::uint8_t>(seg.size() / 4));
  seg[12] = static_cast<std::uint8_t>(words << 4);
  seg[13] = s.tcp_flags;
  net::store_be16(seg.data() + 14, s.tcp_window);
  std::copy(options.begin(), options.end(), seg.begin() + 20);
  seg.insert(seg.end(), s.payload.begin(), s.payload.end());
  std::uint16_t csum = s.tcp_checksum_seed ? pseudo_header(s, protocol_number(s), seg).folded()
                                           : transport_checksum(s, protocol_number(s), seg);
  if (s.corrupt_l4_checksum) csum = damaged(csum);
  net::store_be16(seg.data() + 16, csum);
  return seg;
}

Bytes build_udp(const PacketSpec& s) {
  Bytes seg(8, 0);
  net::store_be16(seg.data(), s.src_port);
  net::store_be16(seg.data() + 2, s.dst_port);
  const auto natural = static_cast<std::uint16_t>(8 + s.payload.size());
  net::store_be16(seg.data() + 4, s.udp_length_override.value_or(natural));
  seg.insert(seg.end(), s.payload.begin(), s.payload.end());
  std::uint16_t csum = 0;
  if (!s.udp_no_checksum) {
    csum = transport_checksum(s, protocol_number(s), seg);
    if (csum == 0) csum = 0xFFFF;  // RFC 768: a computed zero is sent as all ones
    if (s.corrupt_l4_checksum) csum = damaged(csum);
  }
  net::store_be16(seg.data() + 6, csum);
  return seg;
}

Bytes build_icmp(const PacketSpec& s) {
  Bytes msg(8, 0);
  msg[0] = s.icmp_type;
  msg[1] = s.icmp_code;
  net::store_be16(msg.data() + 4, s.icmp_rest_high);
  net::store_be16(msg.data() + 6, s.icmp_rest_low);
  if (!s.inner.empty()) {
    Bytes quoted = build_packet(s.inner.front());
    if (s.quote_bytes && *s.quote_bytes < quoted.size()) quoted.resize(*s.quote_bytes);
    msg.insert(msg.end(), quoted.begin(), quoted.end());
  }
  msg.insert(msg.end(), s.payload.begin(), s.payload.end());
  OnesSum sum;
  sum.add(msg);
  std::uint16_t csum = sum.checksum();
  if (s.corrupt_l4_checksum) csum = damaged(csum);
  net::store_be16(msg.data() + 2, csum);
  return msg;
}

Bytes build_l4(const PacketSpec& s) {
  switch (s.kind) {
    case L4Kind::tcp:
      return build_tcp(s);
    case L4Kind::udp:
      return build_udp(s);
    case L4Kind::icmp:
      return build_icmp(s);
    case L4Kind::other:
      break;
  }
  return s.payload;
}

}  // namespace

std::vector<std::uint8_t> pattern_payload(std::size_t length) {
  Bytes out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = static_cast<std::uint8_t>(0x41 + i % 26);
  return out;
}

std::vector<std::uint8_t> build_packet(const PacketSpec& s) {
  if (!s.raw.empty()) return s.raw;
  const Bytes options = padded_to_words(s.ip_options);
  const Bytes l4 = build_l4(s);
  Bytes pkt(20 + options.size(), 0);
  const auto ihl = s.ihl_override.value_or(static_cast<std::uint8_t>(pkt.size() / 4));
  pkt[0] = static_cast<std::uint8_t>((s.version << 4) | (ihl & 0x0F));
  pkt[1] = s.tos;
  const auto natural_total = static_cast<std::uint16_t>(pkt.size() + l4.size());
  net::store_be16(pkt.data() + 2, s.total_length_override.value_or(natural_total));
  net::store_be16(pkt.data() + 4, s.ip_id);
  std::uint16_t frag = static_cast<std::uint16_t>((s.fragment_offset_bytes / 8) & 0x1FFF);
  if (s.dont_fragment) frag |= 0x4000;
  if (s.more_fragments) frag |= 0x2000;
  net::store_be16(pkt.data() + 6, frag);
  pkt[8] = s.ttl;
  pkt[9] = protocol_number(s);
  net::store_be32(pkt.data() + 12, s.src.value());
  net::store_be32(pkt.data() + 16, s.dst.value());
  std::copy(options.begin(), options.end(), pkt.begin() + 20);
  OnesSum sum;
  sum.add(pkt);
  std::uint16_t csum = sum.checksum();
  if (s.corrupt_ip_checksum) csum = damaged(csum);
  net::store_be16(pkt.data() + 10, csum);
  pkt.insert(pkt.end(), l4.begin(), l4.end());
  if (s.truncate_to && *s.truncate_to < pkt.size()) pkt.resize(*s.truncate_to);
  return pkt;
}

}  // namespace masq::test
