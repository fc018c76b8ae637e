#include "ipv4_frame.hpp"

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"

namespace masq::io::detail {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kVlanTag = 4;
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // 802.1Q
constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;  // 802.1ad
constexpr int kMaxVlanTags = 2;

}  // namespace

std::optional<Ipv4Frame> locate_ipv4(std::span<const std::uint8_t> frame,
                                     bool allow_zero_length) noexcept {
  std::size_t type_at = kEthernetHeader - 2;
  for (int tags = 0;; ++tags) {
    if (frame.size() < type_at + 2) return std::nullopt;
    const std::uint16_t type = net::load_be16(frame.data() + type_at);
    if (type == kEtherTypeIpv4) break;
    if ((type != kEtherTypeVlan && type != kEtherTypeQinQ) || tags == kMaxVlanTags) {
      return std::nullopt;
    }
    type_at += kVlanTag;
  }
  Ipv4Frame f;
  f.l3 = type_at + 2;
  if (frame.size() < f.l3 + net::kIpv4MinHeader) return std::nullopt;
  const std::uint8_t* ip = frame.data() + f.l3;
  if ((ip[0] >> 4) != 4) return std::nullopt;
  f.header_bytes = std::size_t{ip[0] & 0x0Fu} * 4;
  const std::size_t total = net::load_be16(ip + 2);
  const std::size_t available = frame.size() - f.l3;
  if (total == 0 && allow_zero_length) {
    f.end = frame.size();
  } else {
    if (total > available) return std::nullopt;
    f.end = f.l3 + total;
  }
  if (f.header_bytes < net::kIpv4MinHeader || f.l3 + f.header_bytes > f.end) return std::nullopt;
  f.protocol = ip[9];
  f.fragment = (net::load_be16(ip + 6) & 0x3FFFu) != 0;
  return f;
}

std::uint64_t ipv4_pseudo_header_sum(const std::uint8_t* ip, std::uint16_t l4_length) noexcept {
  return net::pseudo_header_sum(net::Ipv4Addr(net::load_be32(ip + 12)),
                                net::Ipv4Addr(net::load_be32(ip + 16)),
                                static_cast<net::Proto>(ip[9]), l4_length);
}

}  // namespace masq::io::detail
