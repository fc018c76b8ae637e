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

std::uint8_t gso_type(GsoKind kind) {
  switch (kind) {
    case GsoKind::tcp4:
      return kGsoTcp4;
    case GsoKind::tcp6:
      return kGsoTcp6;
    case GsoKind::udp4:
      return kGsoUdp;
    case GsoKind::udp_l4:
      return kGsoUdpL4;
    case GsoKind::none:
    case GsoKind::unknown:
      break;
  }
  return kGsoNone;
}

}  // namespace

VnetOffload decode_vnet_header(const std::uint8_t* header) noexcept {
  VirtioNetHdr h;
  std::memcpy(&h, header, sizeof h);
  VnetOffload v;
  v.gso = gso_kind(h.gso_type);
  v.ecn = (h.gso_type & kGsoEcn) != 0;
  v.hdr_len = le16toh(h.hdr_len);
  v.gso_size = le16toh(h.gso_size);
  v.needs_csum = (h.flags & kFlagNeedsCsum) != 0;
  v.csum_start = le16toh(h.csum_start);
  v.csum_offset = le16toh(h.csum_offset);
  return v;
}

void encode_vnet_header(const VnetOffload& offload, std::uint8_t* header) noexcept {
  VirtioNetHdr h{};
  h.flags = offload.needs_csum ? kFlagNeedsCsum : 0;
  h.gso_type = gso_type(offload.gso);
  if (h.gso_type != kGsoNone && offload.ecn) h.gso_type |= kGsoEcn;
  h.hdr_len = htole16(offload.hdr_len);
  h.gso_size = htole16(offload.gso_size);
  h.csum_start = htole16(offload.csum_start);
  h.csum_offset = htole16(offload.csum_offset);
  std::memcpy(header, &h, sizeof h);
}

}  // namespace masq::io::detail
