// TCPv4 super-frames kept whole (PortOptions::keep_tcp_gso): one Ethernet
// frame holding a TCP segment larger than the MTU, which the egress
// interface's kernel (or NIC) cuts into gso_size pieces, as it would for a
// local sender's TSO (docs/adr/0003-tcp-super-frames.md).
// Internal to io; pure. Warm: once per super-frame.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "masq/net/l4_views.hpp"
#include "vnet_header.hpp"

namespace masq::io::detail {

struct TcpSuperFrame {
  std::size_t l3 = 0;       // offset of the IPv4 header
  std::size_t l4 = 0;       // offset of the TCP header
  std::size_t payload = 0;  // offset of the TCP payload: link, IPv4 and TCP headers
  std::size_t end = 0;      // one past the datagram (link padding excluded)
};

// Where the headers of `frame` are, when it can travel whole: an IPv4
// datagram with a non-zero total length (BIG TCP's zero is left to software
// segmentation), not a fragment, carrying TCP with its whole header.
std::optional<TcpSuperFrame> locate_tcp_super_frame(std::span<const std::uint8_t> frame) noexcept;

// Puts the checksum seed in the TCP checksum field: the folded
// pseudo-header sum over the whole TCP length, what Linux's
// __tcp_v4_send_check leaves there for CHECKSUM_PARTIAL and its
// tcp4_gso_segment expects. What arrives there is that seed from a local
// sender, or, for a frame the kernel merged (GRO), its first segment's
// checksum; either way the segments' checksums are the egress device's.
// Costs the pseudo-header, not a pass over the payload (docs/adr/0004).
void seed_tcp_checksum(std::span<std::uint8_t> frame, const TcpSuperFrame& at) noexcept;

// How to send `frame` for the kernel to cut into gso_size segments: the
// virtio-net header (TCPv4 GSO, ECN when CWR is set, the checksum left to
// the kernel from the seed in the field).
VnetOffload tcp_gso_offload(std::span<const std::uint8_t> frame, const TcpSuperFrame& at,
                            std::uint16_t gso_size) noexcept;

// Offset of the TCP checksum field in the frame.
inline std::size_t tcp_checksum_field(const TcpSuperFrame& at) {
  return at.l4 + net::TcpView::kChecksumOffset;
}

}  // namespace masq::io::detail
