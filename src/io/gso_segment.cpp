#include "gso_segment.hpp"

#include <algorithm>
#include <cstring>

#include "ipv4_frame.hpp"
#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::io {
namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint8_t kTcpFin = 0x01;
constexpr std::uint8_t kTcpPsh = 0x08;
constexpr std::uint8_t kTcpCwr = 0x80;

// Where the pieces of a super-frame are: headers [0, headers) are repeated
// in every segment, the payload [headers, end) is cut into gso_size pieces.
struct Plan {
  SegmentError error = SegmentError::ok;
  detail::Ipv4Frame ip;
  std::size_t l4 = 0;
  std::size_t headers = 0;
  std::size_t payload = 0;
  std::size_t segments = 0;
  std::size_t arena_bytes = 0;
};

Plan plan_segments(std::span<const std::uint8_t> frame, GsoKind kind, std::uint16_t gso_size) {
  Plan p;
  if (kind == GsoKind::tcp6 || kind == GsoKind::udp4 || kind == GsoKind::unknown) {
    p.error = SegmentError::unsupported;
    return p;
  }
  if (kind == GsoKind::none || gso_size == 0) {
    p.error = SegmentError::malformed;
    return p;
  }
  const auto ip = detail::locate_ipv4(frame, /*allow_zero_length=*/true);
  if (!ip) {
    p.error = SegmentError::unsupported;
    return p;
  }
  p.ip = *ip;
  p.l4 = ip->l3 + ip->header_bytes;
  const std::uint8_t want = kind == GsoKind::tcp4 ? kProtoTcp : kProtoUdp;
  std::size_t l4_header = net::kUdpHeader;
  if (kind == GsoKind::tcp4 && p.l4 + net::kTcpMinHeader <= ip->end) {
    l4_header = std::size_t{frame[p.l4 + 12]} >> 4 << 2;  // TCP data offset (RFC 793 §3.1)
  }
  if (ip->fragment || ip->protocol != want || l4_header < net::kUdpHeader ||
      (kind == GsoKind::tcp4 && l4_header < net::kTcpMinHeader) || p.l4 + l4_header > ip->end) {
    p.error = SegmentError::malformed;
    return p;
  }
  p.headers = p.l4 + l4_header;
  p.payload = ip->end - p.headers;
  p.segments = std::max<std::size_t>(1, (p.payload + gso_size - 1) / gso_size);
  p.arena_bytes = p.segments * p.headers + p.payload;
  return p;
}

void fix_ipv4(std::uint8_t* ip, std::size_t header_bytes, std::size_t total, std::uint16_t id) {
  net::store_be16(ip + 2, static_cast<std::uint16_t>(total));
  net::store_be16(ip + 4, id);
  net::store_be16(ip + 10, 0);
  net::store_be16(ip + 10, net::internet_checksum({ip, header_bytes}));
}

std::uint16_t l4_checksum(const std::uint8_t* ip, std::span<const std::uint8_t> l4) {
  const std::uint64_t pseudo =
      detail::ipv4_pseudo_header_sum(ip, static_cast<std::uint16_t>(l4.size()));
  return net::internet_checksum(l4, pseudo);
}

}  // namespace

std::size_t gso_arena_bytes(std::span<const std::uint8_t> frame, GsoKind kind,
                            std::uint16_t gso_size) noexcept {
  const Plan p = plan_segments(frame, kind, gso_size);
  return p.error == SegmentError::ok ? p.arena_bytes : 0;
}

SegmentResult segment_gso(std::span<const std::uint8_t> frame, GsoKind kind, std::uint16_t gso_size,
                          std::span<std::uint8_t> arena,
                          std::span<std::span<std::uint8_t>> frames) noexcept {
  const Plan p = plan_segments(frame, kind, gso_size);
  if (p.error != SegmentError::ok) return {p.error, 0, 0};
  if (p.arena_bytes > arena.size() || p.segments > frames.size()) {
    return {SegmentError::no_room, 0, 0};
  }
  const std::size_t l4_header = p.headers - p.l4;
  const std::uint16_t first_id = net::load_be16(frame.data() + p.ip.l3 + 4);
  const std::uint32_t first_seq =
      kind == GsoKind::tcp4 ? net::load_be32(frame.data() + p.l4 + 4) : 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < p.segments; ++i) {
    const std::size_t offset = i * gso_size;
    const std::size_t length = std::min<std::size_t>(gso_size, p.payload - offset);
    std::uint8_t* out = arena.data() + used;
    std::memcpy(out, frame.data(), p.headers);
    std::memcpy(out + p.headers, frame.data() + p.headers + offset, length);
    std::uint8_t* ip = out + p.ip.l3;
    std::uint8_t* l4 = out + p.l4;
    fix_ipv4(ip, p.ip.header_bytes, p.ip.header_bytes + l4_header + length,
             static_cast<std::uint16_t>(first_id + i));
    const std::span<std::uint8_t> segment{l4, l4_header + length};
    if (kind == GsoKind::tcp4) {
      net::store_be32(l4 + 4, first_seq + static_cast<std::uint32_t>(offset));
      if (i != 0) l4[13] &= static_cast<std::uint8_t>(~kTcpCwr);
      if (i + 1 != p.segments) l4[13] &= static_cast<std::uint8_t>(~(kTcpFin | kTcpPsh));
      net::TcpView tcp(l4);
      tcp.set_checksum(0);
      tcp.set_checksum(l4_checksum(ip, segment));
    } else {
      net::store_be16(l4 + 4, static_cast<std::uint16_t>(segment.size()));
      net::UdpView udp(l4);
      udp.set_checksum(0);
      // RFC 768: a computed zero is sent as all ones; zero means "no checksum".
      const std::uint16_t sum = l4_checksum(ip, segment);
      udp.set_checksum(sum == 0 ? std::uint16_t{0xFFFF} : sum);
    }
    frames[i] = {out, p.headers + length};
    used += p.headers + length;
  }
  return {SegmentError::ok, p.segments, used};
}

}  // namespace masq::io
