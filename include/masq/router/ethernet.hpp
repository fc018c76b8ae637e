// Ethernet II framing (RFC 894), IEEE 802.1Q / 802.1ad VLAN tags, and MAC
// addresses as plain values: every reader of Ethernet frames (the router,
// masq-replay, the tests) parses them here.
// Hot: header reads and writes are inline byte copies with no checks (the
// caller has proved the frame holds kEthernetHeader bytes). parse_ethernet()
// and strip_vlan_tags() check lengths and never read past the span.
// MacAddr::parse() and to_string() are cold and allocate.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "masq/net/byte_order.hpp"

namespace masq::router {

class MacAddr {
 public:
  using Octets = std::array<std::uint8_t, 6>;

  constexpr MacAddr() = default;
  constexpr explicit MacAddr(const Octets& octets) : octets_(octets) {}

  static constexpr MacAddr broadcast() { return MacAddr({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}); }
  static MacAddr read(const std::uint8_t* p) noexcept {
    MacAddr m;
    std::memcpy(m.octets_.data(), p, m.octets_.size());
    return m;
  }
  void write(std::uint8_t* p) const noexcept { std::memcpy(p, octets_.data(), octets_.size()); }

  // "02:00:5e:00:00:01" (case-insensitive, exactly six pairs of hex digits).
  static std::optional<MacAddr> parse(std::string_view text);
  std::string to_string() const;

  constexpr const Octets& octets() const { return octets_; }
  constexpr bool is_zero() const { return *this == MacAddr(); }
  constexpr bool is_broadcast() const { return *this == broadcast(); }
  // The I/G bit (IEEE 802): set for group addresses, broadcast included.
  constexpr bool is_group() const { return (octets_[0] & 0x01) != 0; }

  constexpr bool operator==(const MacAddr&) const = default;

 private:
  Octets octets_{};
};

inline constexpr std::size_t kEthernetHeader = 14;
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q customer tag
inline constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;  // IEEE 802.1ad service tag
inline constexpr std::size_t kVlanTag = 4;

struct EthernetHeader {
  MacAddr dst;
  MacAddr src;
  std::uint16_t ether_type = 0;
};

inline EthernetHeader read_ethernet(const std::uint8_t* frame) noexcept {
  return {MacAddr::read(frame), MacAddr::read(frame + 6), net::load_be16(frame + 12)};
}

inline void write_ethernet(std::uint8_t* frame, const MacAddr& dst, const MacAddr& src,
                           std::uint16_t ether_type) noexcept {
  dst.write(frame);
  src.write(frame + 6);
  net::store_be16(frame + 12, ether_type);
}

// A frame's Ethernet header seen through its VLAN tags: any number of them
// may be stacked between the source address and the EtherType (802.1ad
// outer, 802.1Q inner). `header.ether_type` is the innermost one, that of
// the payload at `payload_offset`.
struct EthernetFrame {
  EthernetHeader header;
  std::size_t payload_offset = kEthernetHeader;
  std::size_t vlan_tags = 0;
};

// Nullopt when the frame is too short for its header and tags.
std::optional<EthernetFrame> parse_ethernet(std::span<const std::uint8_t> frame) noexcept;

// Removes the VLAN tags of `frame` in place (the addresses move up over
// them) and returns the untagged frame, a suffix of `frame`. A frame
// parse_ethernet() refuses comes back unchanged.
std::span<std::uint8_t> strip_vlan_tags(std::span<std::uint8_t> frame) noexcept;

}  // namespace masq::router
