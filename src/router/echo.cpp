#include "echo.hpp"

#include <cstring>

#include "masq/net/byte_order.hpp"
#include "masq/net/checksum.hpp"
#include "masq/net/l4_views.hpp"
#include "masq/net/port.hpp"

namespace masq::router {

std::size_t build_echo_reply(const net::ParsedPacket& request, const EchoReplySpec& spec,
                             std::span<std::uint8_t> out) noexcept {
  const std::span<const std::uint8_t> icmp{request.l4, request.l4_length};
  if (net::internet_checksum(icmp) != 0) return 0;
  const std::size_t length = net::kIpv4MinHeader + icmp.size();
  if (out.size() < length) return 0;

  std::uint8_t* p = out.data();
  std::memset(p, 0, net::kIpv4MinHeader);
  p[0] = 0x45;
  p[1] = request.ip.tos();
  net::store_be16(p + 2, static_cast<std::uint16_t>(length));
  net::store_be16(p + 4, spec.ip_id);
  p[8] = spec.ttl;
  p[9] = static_cast<std::uint8_t>(net::Proto::icmp);
  // From the address the request was sent to, back to its sender.
  net::store_be32(p + 12, request.ip.dst().value());
  net::store_be32(p + 16, request.ip.src().value());
  net::store_be16(p + 10, net::internet_checksum({p, net::kIpv4MinHeader}));

  std::uint8_t* reply = p + net::kIpv4MinHeader;
  std::memcpy(reply, icmp.data(), icmp.size());
  reply[0] = net::icmp::kEchoReply;
  reply[1] = 0;
  net::store_be16(reply + net::IcmpView::kChecksumOffset, 0);
  net::store_be16(reply + net::IcmpView::kChecksumOffset,
                  net::internet_checksum({reply, icmp.size()}));
  return length;
}

}  // namespace masq::router
