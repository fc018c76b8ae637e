// The virtio-net header that PACKET_VNET_HDR puts before each frame: on
// receive, the offload state the kernel would otherwise have handed to a
// NIC; on send, what the kernel is to finish for us (virtio 1.x §5.1.6,
// little-endian fields). Internal to io; hot.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gso_segment.hpp"

namespace masq::io::detail {

// struct virtio_net_hdr (virtio 1.x §5.1.6). <linux/virtio_net.h> cannot be
// included from C++ (a member is named `class`), hence this mirror.
inline constexpr std::size_t kVnetHeaderBytes = 10;

struct VnetOffload {
  GsoKind gso = GsoKind::none;
  bool ecn = false;           // VIRTIO_NET_HDR_GSO_ECN: the TCP header has CWR set
  std::uint16_t hdr_len = 0;  // link, network and transport headers
  std::uint16_t gso_size = 0;
  bool needs_csum = false;  // the checksum at csum_start + csum_offset is partial
  std::uint16_t csum_start = 0;
  std::uint16_t csum_offset = 0;
};

// `header` points at kVnetHeaderBytes bytes (any alignment).
VnetOffload decode_vnet_header(const std::uint8_t* header) noexcept;

// Writes `offload` as kVnetHeaderBytes bytes at `header`. GsoKind::unknown
// is written as no GSO.
void encode_vnet_header(const VnetOffload& offload, std::uint8_t* header) noexcept;

}  // namespace masq::io::detail
