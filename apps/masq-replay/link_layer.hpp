// The link layers masq-replay reads and writes: Ethernet II (802.1Q and
// 802.1ad tags accepted on input) and raw IP. strip_link_header() finds the
// IPv4 packet inside a captured frame; write_ethernet_header() makes the
// 14-byte header put in front of emitted packets on Ethernet outputs.
// Pure functions over bytes; they never read past the span they are given.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace masq::replay {

// One value per accepted pcap link type, so that an output can use exactly
// the link type of its input.
enum class LinkType : std::uint8_t {
  ethernet,  // DLT_EN10MB
  raw_ip,    // DLT_RAW: IPv4 or IPv6, told apart by the version nibble
  raw_ipv4,  // DLT_IPV4 (LINKTYPE_IPV4): IPv4 only
};

std::optional<LinkType> link_type_from_dlt(int dlt);
int to_dlt(LinkType type);

using MacAddr = std::array<std::uint8_t, 6>;

inline constexpr std::size_t kEthernetHeader = 14;
inline constexpr MacAddr kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
// The gateway's own addresses in synthesised frames: fixed so that outputs
// are reproducible, locally administered unicast (IEEE 802: first octet
// 0x02 = U/L bit set, I/G bit clear) so they cannot clash with real NICs.
inline constexpr MacAddr kLanGatewayMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
inline constexpr MacAddr kWanGatewayMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

enum class FrameKind : std::uint8_t {
  ipv4,       // bytes from l3_offset on go to the engine, whatever they hold
  not_ipv4,   // another protocol (ARP, IPv6, ...): counted and skipped
  malformed,  // too short for its link-layer header: counted and skipped
};

struct LinkFrame {
  FrameKind kind = FrameKind::malformed;
  std::size_t l3_offset = 0;
  std::optional<MacAddr> src_mac;  // Ethernet frames only
};

LinkFrame strip_link_header(LinkType type, std::span<const std::uint8_t> frame) noexcept;

// Ethernet II header with EtherType IPv4 (0x0800).
void write_ethernet_header(std::span<std::uint8_t, kEthernetHeader> out, const MacAddr& dst,
                           const MacAddr& src) noexcept;

}  // namespace masq::replay
