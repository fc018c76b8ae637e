#include "link_layer.hpp"

#include <pcap/pcap.h>

#include <algorithm>

#include "masq/net/byte_order.hpp"

namespace masq::replay {
namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q
constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;  // IEEE 802.1ad service tag
constexpr std::size_t kMacBytes = 6;
constexpr std::size_t kEtherTypeOffset = 2 * kMacBytes;
constexpr std::size_t kVlanTag = 4;

}  // namespace

std::optional<LinkType> link_type_from_dlt(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
      return LinkType::ethernet;
    case DLT_RAW:
      return LinkType::raw_ip;
    case DLT_IPV4:
      return LinkType::raw_ipv4;
    default:
      return std::nullopt;
  }
}

int to_dlt(LinkType type) {
  switch (type) {
    case LinkType::ethernet:
      return DLT_EN10MB;
    case LinkType::raw_ip:
      return DLT_RAW;
    case LinkType::raw_ipv4:
      return DLT_IPV4;
  }
  return DLT_RAW;
}

LinkFrame strip_link_header(LinkType type, std::span<const std::uint8_t> frame) noexcept {
  switch (type) {
    case LinkType::raw_ipv4:
      return {FrameKind::ipv4, 0, std::nullopt};
    case LinkType::raw_ip:
      // An empty or garbled packet still goes to the engine, which counts
      // why it is not IPv4; only a well-formed IPv6 version nibble is skipped.
      if (!frame.empty() && (frame[0] >> 4) == 6) return {FrameKind::not_ipv4, 0, std::nullopt};
      return {FrameKind::ipv4, 0, std::nullopt};
    case LinkType::ethernet:
      break;
  }
  if (frame.size() < kEthernetHeader) return {};
  MacAddr src{};
  std::copy_n(frame.begin() + kMacBytes, kMacBytes, src.begin());
  std::size_t type_offset = kEtherTypeOffset;
  std::uint16_t ether_type = net::load_be16(frame.data() + type_offset);
  // Tags sit between the source address and the EtherType; any number of
  // them may be stacked (802.1ad outer, 802.1Q inner).
  while (ether_type == kEtherTypeVlan || ether_type == kEtherTypeQinQ) {
    type_offset += kVlanTag;
    if (frame.size() < type_offset + 2) return {};
    ether_type = net::load_be16(frame.data() + type_offset);
  }
  const FrameKind kind = ether_type == kEtherTypeIpv4 ? FrameKind::ipv4 : FrameKind::not_ipv4;
  return {kind, type_offset + 2, src};
}

void write_ethernet_header(std::span<std::uint8_t, kEthernetHeader> out, const MacAddr& dst,
                           const MacAddr& src) noexcept {
  std::copy(dst.begin(), dst.end(), out.begin());
  std::copy(src.begin(), src.end(), out.begin() + kMacBytes);
  net::store_be16(out.data() + kEtherTypeOffset, kEtherTypeIpv4);
}

}  // namespace masq::replay
