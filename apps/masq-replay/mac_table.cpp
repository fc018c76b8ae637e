#include "mac_table.hpp"

#include "masq/net/byte_order.hpp"
#include "masq/net/ipv4_view.hpp"

namespace masq::replay {
namespace {
constexpr std::size_t kSrcAddrOffset = 12;
constexpr std::uint8_t kGroupBit = 0x01;
}  // namespace

void MacTable::learn(const MacAddr& src_mac, std::span<const std::uint8_t> ip) {
  if (ip.size() < net::kIpv4MinHeader || (ip[0] >> 4) != 4) return;
  if ((src_mac[0] & kGroupBit) != 0) return;
  macs_[net::load_be32(ip.data() + kSrcAddrOffset)] = src_mac;
}

MacAddr MacTable::lookup(net::Ipv4Addr ip) const {
  const auto it = macs_.find(ip.value());
  return it == macs_.end() ? kBroadcastMac : it->second;
}

}  // namespace masq::replay
