#include "masq/router/local_udp.hpp"

#include <cstring>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::router {
namespace {

constexpr std::size_t kUdpHeader = 8;
constexpr std::size_t kIpHeader = 20;

}  // namespace

std::optional<LocalDatagram> read_local_udp(const net::ParsedPacket& pkt) noexcept {
  if (pkt.ip.protocol() != static_cast<std::uint8_t>(net::Proto::udp) || pkt.l4 == nullptr ||
      pkt.ip.is_fragment() || pkt.l4_length < kUdpHeader) {
    return std::nullopt;
  }
  const net::UdpView udp(pkt.l4);
  if (udp.length() < kUdpHeader || udp.length() > pkt.l4_length) return std::nullopt;
  const std::span<const std::uint8_t> datagram{pkt.l4, udp.length()};
  if (udp.checksum() != 0 &&
      net::internet_checksum(
          datagram,
          net::pseudo_header_sum(pkt.ip.src(), pkt.ip.dst(), net::Proto::udp, udp.length())) != 0) {
    return std::nullopt;
  }
  LocalDatagram d;
  d.src = pkt.ip.src();
  d.src_port = udp.src_port();
  d.dst = pkt.ip.dst();
  d.dst_port = udp.dst_port();
  d.payload = datagram.subspan(kUdpHeader);
  return d;
}

std::size_t build_udp_frame(const UdpFrameSpec& spec, std::span<const std::uint8_t> payload,
                            std::span<std::uint8_t> out) noexcept {
  const std::size_t udp_length = kUdpHeader + payload.size();
  const std::size_t ip_length = kIpHeader + udp_length;
  if (ip_length > 0xFFFF || out.size() < kEthernetHeader + ip_length) return 0;
  std::uint8_t* frame = out.data();
  write_ethernet(frame, spec.dst_mac, spec.src_mac, kEtherTypeIpv4);

  std::uint8_t* ip = frame + kEthernetHeader;
  std::memset(ip, 0, kIpHeader);
  ip[0] = 0x45;
  net::store_be16(ip + 2, static_cast<std::uint16_t>(ip_length));
  net::store_be16(ip + 4, spec.ip_id);
  // RFC 1112 §6.1: a link-local group (224.0.0.0/24) gets TTL 1.
  ip[8] = spec.dst.is_multicast() ? 1 : spec.ttl;
  ip[9] = static_cast<std::uint8_t>(net::Proto::udp);
  net::store_be32(ip + 12, spec.src.value());
  net::store_be32(ip + 16, spec.dst.value());
  net::store_be16(ip + 10, net::internet_checksum({ip, kIpHeader}));

  std::uint8_t* udp = ip + kIpHeader;
  net::store_be16(udp, spec.src_port);
  net::store_be16(udp + 2, spec.dst_port);
  net::store_be16(udp + 4, static_cast<std::uint16_t>(udp_length));
  net::store_be16(udp + 6, 0);
  if (!payload.empty()) std::memcpy(udp + kUdpHeader, payload.data(), payload.size());
  std::uint16_t sum = net::internet_checksum(
      {udp, udp_length}, net::pseudo_header_sum(spec.src, spec.dst, net::Proto::udp,
                                                static_cast<std::uint16_t>(udp_length)));
  // RFC 768: a computed 0 is sent as all ones (0 means "no checksum").
  if (sum == 0) sum = 0xFFFF;
  net::store_be16(udp + 6, sum);
  return kEthernetHeader + ip_length;
}

MacAddr multicast_mac(net::Ipv4Addr group) noexcept {
  const std::uint32_t a = group.value();
  return MacAddr({0x01, 0x00, 0x5E, static_cast<std::uint8_t>((a >> 16) & 0x7F),
                  static_cast<std::uint8_t>(a >> 8), static_cast<std::uint8_t>(a)});
}

}  // namespace masq::router
