#include "pcp_hand_off.hpp"

#include <algorithm>

#include "masq/net/byte_order.hpp"
#include "masq/pcp/pcp_wire.hpp"

namespace masq::app {

std::optional<net::Ipv4Addr> third_party_host(const router::LocalDatagram& d) {
  // A first octet 0 is NAT-PMP (RFC 6886), which has no third parties.
  if (d.payload.empty() || d.payload[0] == 0) return std::nullopt;
  const pcp::Decoded decoded = pcp::decode_request(d.payload);
  if (decoded.kind != pcp::Decoded::Kind::request || !decoded.request.options.third_party) {
    return std::nullopt;
  }
  return pcp::as_ipv4(*decoded.request.options.third_party);
}

std::size_t pack(const router::LocalDatagram& d, std::span<std::uint8_t> out) {
  const std::size_t length = kPackedDatagramHeader + d.payload.size();
  if (out.size() < length) return 0;
  std::uint8_t* p = out.data();
  d.src_mac.write(p);
  p += 6;
  net::store_be32(p, d.src.value());
  net::store_be16(p + 4, d.src_port);
  net::store_be32(p + 6, d.dst.value());
  net::store_be16(p + 10, d.dst_port);
  std::copy(d.payload.begin(), d.payload.end(), p + 12);
  return length;
}

std::optional<router::LocalDatagram> unpack(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kPackedDatagramHeader) return std::nullopt;
  router::LocalDatagram d;
  d.side = Side::lan;
  const std::uint8_t* p = bytes.data();
  d.src_mac = router::MacAddr::read(p);
  d.src = net::Ipv4Addr(net::load_be32(p + 6));
  d.src_port = net::load_be16(p + 10);
  d.dst = net::Ipv4Addr(net::load_be32(p + 12));
  d.dst_port = net::load_be16(p + 16);
  d.payload = bytes.subspan(kPackedDatagramHeader);
  return d;
}

}  // namespace masq::app
