#include "tcp_super_frame.hpp"

#include "ipv4_frame.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"

namespace masq::io::detail {
namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kTcpCwr = 0x80;
constexpr std::size_t kTcpFlagsOffset = 13;

// The folded pseudo-header sum over the whole TCP length: what Linux's
// __tcp_v4_send_check leaves in the field for CHECKSUM_PARTIAL, and what
// its tcp4_gso_segment expects to find there.
std::uint16_t pseudo_header_seed(std::span<const std::uint8_t> frame, const TcpSuperFrame& at) {
  const auto tcp_length = static_cast<std::uint16_t>(at.end - at.l4);
  return net::checksum_fold(ipv4_pseudo_header_sum(frame.data() + at.l3, tcp_length));
}

}  // namespace

std::optional<TcpSuperFrame> locate_tcp_super_frame(std::span<const std::uint8_t> frame) noexcept {
  const auto ip = locate_ipv4(frame, /*allow_zero_length=*/false);
  if (!ip || ip->fragment || ip->protocol != kProtoTcp) return std::nullopt;
  TcpSuperFrame at;
  at.l3 = ip->l3;
  at.l4 = ip->l3 + ip->header_bytes;
  at.end = ip->end;
  if (at.end - at.l4 < net::kTcpMinHeader) return std::nullopt;
  const std::size_t header =
      std::size_t{frame[at.l4 + 12]} >> 4 << 2;  // data offset (RFC 793 §3.1)
  if (header < net::kTcpMinHeader || header > at.end - at.l4) return std::nullopt;
  at.payload = at.l4 + header;
  return at;
}

void seed_tcp_checksum(std::span<std::uint8_t> frame, const TcpSuperFrame& at) noexcept {
  net::store_be16(frame.data() + tcp_checksum_field(at), pseudo_header_seed(frame, at));
}

VnetOffload tcp_gso_offload(std::span<const std::uint8_t> frame, const TcpSuperFrame& at,
                            std::uint16_t gso_size) noexcept {
  VnetOffload o;
  o.gso = GsoKind::tcp4;
  o.ecn = (frame[at.l4 + kTcpFlagsOffset] & kTcpCwr) != 0;
  o.hdr_len = static_cast<std::uint16_t>(at.payload);
  o.gso_size = gso_size;
  o.needs_csum = true;
  o.csum_start = static_cast<std::uint16_t>(at.l4);
  o.csum_offset = net::TcpView::kChecksumOffset;
  return o;
}

}  // namespace masq::io::detail
