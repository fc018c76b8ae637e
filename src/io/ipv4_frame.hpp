// Locating the IPv4 packet inside an Ethernet frame and summing its
// transport segment with the pseudo-header: the shared ground of software
// segmentation and checksum completion. Internal to io; pure and hot.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace masq::io::detail {

struct Ipv4Frame {
  std::size_t l3 = 0;            // offset of the IPv4 header
  std::size_t header_bytes = 0;  // IHL * 4
  std::size_t end = 0;           // offset one past the datagram (excludes link padding)
  std::uint8_t protocol = 0;
  bool fragment = false;  // MF set or a non-zero offset: no whole transport segment
};

// The IPv4 packet of an Ethernet II frame, past up to two VLAN tags
// (802.1Q, 802.1ad). nullopt when the frame is not IPv4 or its header does
// not fit. A total length of 0 is taken to mean "up to the frame's end",
// as Linux writes it for BIG TCP super-frames, only when allow_zero_length.
std::optional<Ipv4Frame> locate_ipv4(std::span<const std::uint8_t> frame,
                                     bool allow_zero_length) noexcept;

// One's complement sum (unfolded) of the TCP/UDP pseudo-header (RFC 793
// §3.1, RFC 768) for the datagram whose IPv4 header starts at `ip`.
std::uint64_t ipv4_pseudo_header_sum(const std::uint8_t* ip, std::uint16_t l4_length) noexcept;

}  // namespace masq::io::detail
