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

// Computes the TCP checksum of the whole super-frame from scratch. What
// arrives holds the CHECKSUM_PARTIAL pseudo-header sum, or, for a frame the
// kernel merged (GRO), its first segment's checksum; the engine's RFC 1624
// updates need a correct one.
void recompute_tcp_checksum(std::span<std::uint8_t> frame, const TcpSuperFrame& at) noexcept;

// How to send `frame` for the kernel to cut into gso_size segments: the
// virtio-net header (TCPv4 GSO, ECN when CWR is set, the checksum left to
// the kernel) and the value to send in place of the checksum field, the
// folded pseudo-header sum Linux itself leaves there (CHECKSUM_PARTIAL).
struct TcpGsoSend {
  VnetOffload offload;
  std::uint16_t checksum_seed = 0;
};
TcpGsoSend tcp_gso_send(std::span<const std::uint8_t> frame, const TcpSuperFrame& at,
                        std::uint16_t gso_size) noexcept;

// Offset of the TCP checksum field in the frame.
inline std::size_t tcp_checksum_field(const TcpSuperFrame& at) {
  return at.l4 + net::TcpView::kChecksumOffset;
}

}  // namespace masq::io::detail
