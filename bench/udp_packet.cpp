#include "udp_packet.hpp"

#include <algorithm>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"

namespace masq::bench {
namespace {

constexpr std::size_t kIpHeader = 20;
constexpr std::size_t kUdpHeader = 8;
constexpr auto kUdpLength = static_cast<std::uint16_t>(kPacketBytes - kIpHeader);

}  // namespace

void write_udp_packet(const net::FlowKey& flow, std::span<std::uint8_t, kPacketBytes> out) {
  std::uint8_t* p = out.data();
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  p[0] = 0x45;  // version 4, IHL 5
  net::store_be16(p + 2, static_cast<std::uint16_t>(kPacketBytes));
  net::store_be16(p + 4, flow.src_port.value());  // any ID will do; DF set, so never fragmented
  p[6] = 0x40;
  p[8] = 64;
  p[9] = static_cast<std::uint8_t>(net::Proto::udp);
  net::store_be32(p + 12, flow.src.value());
  net::store_be32(p + 16, flow.dst.value());
  net::store_be16(p + 10, net::internet_checksum(out.first(kIpHeader)));

  std::uint8_t* udp = p + kIpHeader;
  net::store_be16(udp, flow.src_port.value());
  net::store_be16(udp + 2, flow.dst_port.value());
  net::store_be16(udp + 4, kUdpLength);
  for (std::size_t i = kIpHeader + kUdpHeader; i < kPacketBytes; ++i) {
    p[i] = static_cast<std::uint8_t>(i);
  }
  const std::uint64_t pseudo =
      net::pseudo_header_sum(flow.src, flow.dst, net::Proto::udp, kUdpLength);
  const std::uint16_t sum = net::internet_checksum(out.subspan(kIpHeader), pseudo);
  // RFC 768: a computed zero is sent as all ones (zero means "no checksum").
  net::store_be16(udp + 6, sum == 0 ? std::uint16_t{0xFFFF} : sum);
}

net::FlowKey read_udp_flow(std::span<const std::uint8_t, kPacketBytes> packet) {
  const std::uint8_t* p = packet.data();
  return {net::Ipv4Addr(net::load_be32(p + 12)),
          net::Ipv4Addr(net::load_be32(p + 16)),
          net::Port(net::load_be16(p + kIpHeader)),
          net::Port(net::load_be16(p + kIpHeader + 2)),
          net::Proto::udp,
          {}};
}

}  // namespace masq::bench
