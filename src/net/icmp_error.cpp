#include "masq/net/icmp_error.hpp"

#include <algorithm>
#include <cstring>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/ipv4_view.hpp"
#include "masq/net/l4_views.hpp"

namespace masq::net {

std::size_t build_icmp_error(std::span<const std::uint8_t> offending, const IcmpErrorSpec& spec,
                             std::span<std::uint8_t> out) noexcept {
  if (offending.size() < kIpv4MinHeader) return 0;
  const std::uint8_t* o = offending.data();
  const std::size_t ihl = std::size_t{o[0] & 0x0Fu} * 4;
  const std::size_t total = std::min<std::size_t>(load_be16(o + 2), offending.size());
  if (ihl < kIpv4MinHeader || ihl > total) return 0;

  // RFC 1812 §4.3.2.7: never an error about an error, a later fragment, or
  // a packet whose source does not name a single host.
  const Ipv4Addr src(load_be32(o + 12));
  if (src.is_unspecified() || src.is_loopback() || src.is_multicast() ||
      src.is_limited_broadcast() || src.is_reserved_class_e()) {
    return 0;
  }
  if ((load_be16(o + 6) & 0x1FFF) != 0) return 0;
  if (o[9] == static_cast<std::uint8_t>(Proto::icmp) &&
      (total < ihl + 1 || icmp::is_error(o[ihl]))) {
    return 0;
  }

  const std::size_t quote = std::min(total, kIcmpErrorMaxLength - kIpv4MinHeader - kIcmpHeader);
  const std::size_t length = kIpv4MinHeader + kIcmpHeader + quote;
  if (out.size() < length) return 0;

  std::uint8_t* p = out.data();
  std::memset(p, 0, kIpv4MinHeader + kIcmpHeader);
  p[0] = 0x45;
  store_be16(p + 2, static_cast<std::uint16_t>(length));
  store_be16(p + 4, spec.ip_id);
  p[8] = spec.ttl;
  p[9] = static_cast<std::uint8_t>(Proto::icmp);
  store_be32(p + 12, spec.src.value());
  store_be32(p + 16, src.value());
  store_be16(p + 10, internet_checksum({p, kIpv4MinHeader}));

  std::uint8_t* icmp_hdr = p + kIpv4MinHeader;
  icmp_hdr[0] = spec.type;
  icmp_hdr[1] = spec.code;
  if (spec.type == icmp::kDestUnreachable && spec.code == icmp::kCodeFragNeeded) {
    store_be16(icmp_hdr + 6, spec.next_hop_mtu);
  }
  std::memcpy(icmp_hdr + kIcmpHeader, o, quote);
  store_be16(icmp_hdr + 2, internet_checksum({icmp_hdr, kIcmpHeader + quote}));
  return length;
}

}  // namespace masq::net
