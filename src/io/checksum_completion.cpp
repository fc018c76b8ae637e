#include "checksum_completion.hpp"

#include "ipv4_frame.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::io {
namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;

// Linux's CSUM_MANGLED_0: a computed 0 is stored as its one's complement twin.
constexpr std::uint16_t mangle_zero(std::uint16_t sum) {
  return sum == 0 ? 0xFFFF : sum;
}

}  // namespace

bool complete_checksum(std::span<std::uint8_t> frame, std::size_t csum_start,
                       std::size_t csum_offset) noexcept {
  if (csum_start > frame.size() || csum_offset > frame.size() - csum_start ||
      frame.size() - csum_start - csum_offset < 2) {
    return false;
  }
  std::uint8_t* field = frame.data() + csum_start + csum_offset;
  const std::uint16_t sum = net::internet_checksum(frame.subspan(csum_start));
  net::store_be16(field, mangle_zero(sum));
  return true;
}

L4Checksum repair_partial_checksum(std::span<std::uint8_t> frame) noexcept {
  const auto ip = detail::locate_ipv4(frame, /*allow_zero_length=*/false);
  if (!ip || ip->fragment) return L4Checksum::not_checked;
  std::size_t field_offset = 0;
  std::size_t min_header = 0;
  if (ip->protocol == kProtoTcp) {
    field_offset = net::TcpView::kChecksumOffset;
    min_header = net::kTcpMinHeader;
  } else if (ip->protocol == kProtoUdp) {
    field_offset = net::UdpView::kChecksumOffset;
    min_header = net::kUdpHeader;
  } else {
    return L4Checksum::not_checked;
  }
  const std::size_t l4 = ip->l3 + ip->header_bytes;
  if (ip->end - l4 < min_header) return L4Checksum::not_checked;
  const std::span<std::uint8_t> segment = frame.subspan(l4, ip->end - l4);
  std::uint8_t* field = segment.data() + field_offset;
  const std::uint16_t stored = net::load_be16(field);
  if (ip->protocol == kProtoUdp && stored == 0) return L4Checksum::valid;  // RFC 768: none

  const std::uint64_t pseudo = detail::ipv4_pseudo_header_sum(
      frame.data() + ip->l3, static_cast<std::uint16_t>(segment.size()));
  if (net::internet_checksum(segment, pseudo) == 0) return L4Checksum::valid;
  if (stored != net::checksum_fold(pseudo)) return L4Checksum::invalid;
  net::store_be16(field, mangle_zero(net::internet_checksum(segment)));
  return L4Checksum::completed;
}

}  // namespace masq::io
