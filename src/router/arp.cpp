#include "masq/router/arp.hpp"

#include "masq/net/byte_order.hpp"

namespace masq::router {
namespace {

// RFC 826 field values for IPv4 over Ethernet.
constexpr std::uint16_t kHardwareEthernet = 1;
constexpr std::uint8_t kHardwareLength = 6;
constexpr std::uint8_t kProtocolLength = 4;

}  // namespace

std::optional<ArpPacket> decode_arp(std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() < kArpLength) return std::nullopt;
  const std::uint8_t* p = payload.data();
  if (net::load_be16(p) != kHardwareEthernet || net::load_be16(p + 2) != kEtherTypeIpv4 ||
      p[4] != kHardwareLength || p[5] != kProtocolLength) {
    return std::nullopt;
  }
  const std::uint16_t op = net::load_be16(p + 6);
  if (op != static_cast<std::uint16_t>(ArpOp::request) &&
      op != static_cast<std::uint16_t>(ArpOp::reply)) {
    return std::nullopt;
  }
  return ArpPacket{static_cast<ArpOp>(op), MacAddr::read(p + 8),
                   net::Ipv4Addr(net::load_be32(p + 14)), MacAddr::read(p + 18),
                   net::Ipv4Addr(net::load_be32(p + 24))};
}

void encode_arp(const ArpPacket& arp, std::uint8_t* out) noexcept {
  net::store_be16(out, kHardwareEthernet);
  net::store_be16(out + 2, kEtherTypeIpv4);
  out[4] = kHardwareLength;
  out[5] = kProtocolLength;
  net::store_be16(out + 6, static_cast<std::uint16_t>(arp.op));
  arp.sender_mac.write(out + 8);
  net::store_be32(out + 14, arp.sender_ip.value());
  arp.target_mac.write(out + 18);
  net::store_be32(out + 24, arp.target_ip.value());
}

}  // namespace masq::router
