#include "masq/router/routes.hpp"

#include <algorithm>
#include <utility>

namespace masq::router {

Routes::Routes(net::Ipv4Prefix lan, net::Ipv4Prefix wan, std::optional<net::Ipv4Addr> wan_gateway,
               std::vector<nat::AddressRange> externals)
    : lan_(lan), wan_(wan), wan_gateway_(wan_gateway), externals_(std::move(externals)) {}

std::optional<net::Ipv4Addr> Routes::next_hop(Side egress, net::Ipv4Addr dst) const noexcept {
  if (prefix(egress).contains(dst)) return dst;
  if (egress == Side::wan) return wan_gateway_;
  return std::nullopt;
}

Side Routes::egress_for(Side from, net::Ipv4Addr dst) const noexcept {
  if (from == Side::wan || lan_.contains(dst) || is_external(dst)) return Side::lan;
  return Side::wan;
}

bool Routes::is_external(net::Ipv4Addr a) const noexcept {
  return std::any_of(externals_.begin(), externals_.end(),
                     [a](const nat::AddressRange& r) { return r.first <= a && a <= r.last; });
}

}  // namespace masq::router
