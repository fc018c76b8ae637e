#include "masq/net/parse.hpp"

#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::net {
namespace {

// RFC 791 §3.1 option format: EOL (0) ends the list, NOP (1) is one byte,
// every other option is type, length (>= 2, counting both), data.
bool options_well_formed(std::span<const std::uint8_t> opts) {
  std::size_t i = 0;
  while (i < opts.size()) {
    const std::uint8_t type = opts[i];
    if (type == 0) return true;
    if (type == 1) {
      ++i;
      continue;
    }
    if (i + 1 >= opts.size()) return false;
    const std::uint8_t len = opts[i + 1];
    if (len < 2 || i + len > opts.size()) return false;
    i += len;
  }
  return true;
}

// The transport header of a first fragment (or unfragmented datagram) must
// be present in full. `datagram_end` is where the datagram's bytes end,
// which for a quoted datagram may be before its stated total length.
ParseError check_l4(ParsedPacket& pkt, std::uint8_t* datagram_end, bool quoted) {
  const Ipv4View& ip = pkt.ip;
  if (ip.fragment_offset_bytes() != 0) return ParseError::ok;
  pkt.l4 = ip.data() + ip.header_length();
  pkt.l4_length = static_cast<std::size_t>(datagram_end - pkt.l4);
  switch (ip.protocol()) {
    case static_cast<std::uint8_t>(Proto::tcp): {
      // A quoted TCP header needs only its first 8 bytes (ports and
      // sequence number, RFC 792); the rest may be cut off.
      if (quoted) return pkt.l4_length < 8 ? ParseError::truncated_l4 : ParseError::ok;
      if (pkt.l4_length < kTcpMinHeader) return ParseError::truncated_l4;
      const std::size_t off = TcpView(pkt.l4).header_length();
      if (off < kTcpMinHeader || off > pkt.l4_length) return ParseError::bad_tcp_offset;
      return ParseError::ok;
    }
    case static_cast<std::uint8_t>(Proto::udp): {
      if (pkt.l4_length < kUdpHeader) return ParseError::truncated_l4;
      if (quoted || ip.more_fragments()) return ParseError::ok;
      const std::size_t len = UdpView(pkt.l4).length();
      if (len < kUdpHeader || len > pkt.l4_length) return ParseError::bad_udp_length;
      return ParseError::ok;
    }
    case static_cast<std::uint8_t>(Proto::icmp):
      return pkt.l4_length < kIcmpHeader ? ParseError::truncated_l4 : ParseError::ok;
    default:
      return ParseError::ok;
  }
}

// The one's complement sum of an IPv4 header (0xFFFF when it verifies).
// The common 20-byte header is summed as five words inline: this runs for
// every packet.
std::uint16_t header_sum(std::span<const std::uint8_t> header) {
  const std::uint8_t* p = header.data();
  if (header.size() == kIpv4MinHeader) {
    return checksum_fold(std::uint64_t{load_be32(p)} + load_be32(p + 4) + load_be32(p + 8) +
                         load_be32(p + 12) + load_be32(p + 16));
  }
  return checksum_fold(checksum_add(header));
}

ParseResult parse_header(std::span<std::uint8_t> bytes, bool quoted, bool verify_checksum) {
  ParseResult r;
  if (bytes.size() < kIpv4MinHeader) {
    r.error = ParseError::truncated;
    return r;
  }
  r.packet.ip = Ipv4View(bytes.data());
  const Ipv4View& ip = r.packet.ip;
  if (ip.version() != 4) {
    r.error = ParseError::bad_version;
    return r;
  }
  const std::size_t ihl = ip.header_length();
  if (ihl < kIpv4MinHeader || ihl > bytes.size()) {
    r.error = ParseError::bad_ihl;
    return r;
  }
  const std::size_t total = ip.total_length();
  if (total < ihl || (!quoted && total > bytes.size())) {
    r.error = ParseError::bad_total_length;
    return r;
  }
  if (verify_checksum && header_sum(ip.header()) != 0xFFFF) {
    r.error = ParseError::bad_ip_checksum;
    return r;
  }
  if (!options_well_formed(ip.header().subspan(kIpv4MinHeader))) {
    r.error = ParseError::bad_ip_options;
    return r;
  }
  const std::size_t present = total < bytes.size() ? total : bytes.size();
  r.error = check_l4(r.packet, bytes.data() + present, quoted);
  return r;
}

}  // namespace

ParseResult parse_ipv4_checked(std::span<std::uint8_t> bytes) noexcept {
  return parse_header(bytes, /*quoted=*/false, /*verify_checksum=*/true);
}

ParseResult parse_quoted_ipv4(std::span<std::uint8_t> bytes, QuoteCheck check) noexcept {
  return parse_header(bytes, /*quoted=*/true, check.verify_checksum);
}

}  // namespace masq::net
