#include "masq/router/ethernet.hpp"

#include <cstdio>
#include <cstring>

namespace masq::router {
namespace {

std::optional<std::uint8_t> hex_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

}  // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view text) {
  // Six pairs and five separators: 17 characters.
  if (text.size() != 17) return std::nullopt;
  Octets octets{};
  for (std::size_t i = 0; i < octets.size(); ++i) {
    const std::size_t at = i * 3;
    if (i > 0 && text[at - 1] != ':') return std::nullopt;
    const auto hi = hex_digit(text[at]);
    const auto lo = hex_digit(text[at + 1]);
    if (!hi || !lo) return std::nullopt;
    octets[i] = static_cast<std::uint8_t>(*hi << 4 | *lo);
  }
  return MacAddr(octets);
}

std::string MacAddr::to_string() const {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", octets_[0], octets_[1],
                octets_[2], octets_[3], octets_[4], octets_[5]);
  return buf;
}

std::optional<EthernetFrame> parse_ethernet(std::span<const std::uint8_t> frame) noexcept {
  if (frame.size() < kEthernetHeader) return std::nullopt;
  EthernetFrame parsed{read_ethernet(frame.data()), kEthernetHeader, 0};
  constexpr std::size_t kTypeOffset = kEthernetHeader - 2;
  while (parsed.header.ether_type == kEtherTypeVlan || parsed.header.ether_type == kEtherTypeQinQ) {
    parsed.payload_offset += kVlanTag;
    if (frame.size() < parsed.payload_offset) return std::nullopt;
    ++parsed.vlan_tags;
    parsed.header.ether_type =
        net::load_be16(frame.data() + kTypeOffset + parsed.vlan_tags * kVlanTag);
  }
  return parsed;
}

std::span<std::uint8_t> strip_vlan_tags(std::span<std::uint8_t> frame) noexcept {
  const auto parsed = parse_ethernet(frame);
  if (!parsed || parsed->vlan_tags == 0) return frame;
  const std::size_t tags = parsed->vlan_tags * kVlanTag;
  // The two addresses (12 bytes) move up to sit right before the inner EtherType.
  std::memmove(frame.data() + tags, frame.data(), kEthernetHeader - 2);
  return frame.subspan(tags);
}

}  // namespace masq::router
