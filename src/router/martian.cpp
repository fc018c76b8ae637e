#include "masq/router/martian.hpp"

namespace masq::router {
namespace {

// 0/8 is "this network" (RFC 1122 §3.2.1.3): only ever a source while a
// host boots, and never one a router forwards.
constexpr bool is_this_network(net::Ipv4Addr a) {
  return (a.value() >> 24) == 0;
}

constexpr bool has_broadcast(const net::Ipv4Prefix& p) {
  return p.length() <= 30;
}

}  // namespace

MartianFilter::MartianFilter(net::Ipv4Addr lan_address, net::Ipv4Prefix lan,
                             net::Ipv4Addr wan_address, net::Ipv4Prefix wan) noexcept
    : lan_address_(lan_address), lan_(lan), wan_address_(wan_address), wan_(wan) {}

bool MartianFilter::is_directed_broadcast(net::Ipv4Addr a) const noexcept {
  return (has_broadcast(lan_) && a == lan_.broadcast()) ||
         (has_broadcast(wan_) && a == wan_.broadcast());
}

DropReason MartianFilter::check(Side from, net::Ipv4Addr src, net::Ipv4Addr dst) const noexcept {
  if (is_this_network(src) || src.is_loopback() || src.is_multicast() ||
      src.is_reserved_class_e() || is_directed_broadcast(src) || src == lan_address_ ||
      src == wan_address_ || (from == Side::wan && lan_.contains(src))) {
    return DropReason::martian_source;
  }
  if (dst.is_limited_broadcast() || dst.is_multicast() || is_directed_broadcast(dst)) {
    return DropReason::broadcast_destination;
  }
  if (is_this_network(dst) || dst.is_loopback() || dst.is_reserved_class_e()) {
    return DropReason::martian_destination;
  }
  return DropReason::none;
}

}  // namespace masq::router
