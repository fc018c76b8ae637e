#include "vnet_header.hpp"

#include <endian.h>

#include <cstring>

namespace masq::io::detail {
namespace {

struct VirtioNetHdr {
  std::uint8_t flags;
  std::uint8_t gso_type;
  std::uint16_t hdr_len;
  std::uint16_t gso_size;
  std::uint16_t csum_start;
  std::uint16_t csum_offset;
};
static_assert(sizeof(VirtioNetHdr) == kVnetHeaderBytes);

constexpr std::uint8_t kFlagNeedsCsum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
constexpr std::uint8_t kGsoNone = 0;        // VIRTIO_NET_HDR_GSO_NONE
constexpr std::uint8_t kGsoTcp4 = 1;        // VIRTIO_NET_HDR_GSO_TCPV4
constexpr std::uint8_t kGsoUdp = 3;         // VIRTIO_NET_HDR_GSO_UDP (UFO)
constexpr std::uint8_t kGsoTcp6 = 4;        // VIRTIO_NET_HDR_GSO_TCPV6
constexpr std::uint8_t kGsoUdpL4 = 5;       // VIRTIO_NET_HDR_GSO_UDP_L4 (Linux 5.18+)
constexpr std::uint8_t kGsoEcn = 0x80;      // VIRTIO_NET_HDR_GSO_ECN: a flag, not a type

GsoKind gso_kind(std::uint8_t type) {
  switch (type & ~kGsoEcn) {
    case kGsoNone:
      return GsoKind::none;
    case kGsoTcp4:
      return GsoKind::tcp4;
    case kGsoTcp6:
      return GsoKind::tcp6;
    case kGsoUdp:
      return GsoKind::udp4;
    case kGsoUdpL4:
      return GsoKind::udp_l4;
    default:
      return GsoKind::unknown;
  }
}

}  // namespace

VnetOffload decode_vnet_header(const std::uint8_t* header) noexcept {
  VirtioNetHdr h;
  std::memcpy(&h, header, sizeof h);
  VnetOffload v;
  v.gso = gso_kind(h.gso_type);
  v.gso_size = le16toh(h.gso_size);
  v.needs_csum = (h.flags & kFlagNeedsCsum) != 0;
  v.csum_start = le16toh(h.csum_start);
  v.csum_offset = le16toh(h.csum_offset);
  return v;
}

}  // namespace masq::io::detail
