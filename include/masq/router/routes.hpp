// Routes: the gateway's whole routing table, which is small enough to be
// code. Each side has one connected prefix; the WAN side may also have a
// default gateway. Nothing but the LAN prefix is reachable on the LAN side
// (hosts behind other LAN routers are out of scope).
// Hot: next_hop() and egress_for() are a few compares.
#pragma once

#include <optional>
#include <vector>

#include "masq/nat/engine_config.hpp"
#include "masq/nat/verdict.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::router {

class Routes {
 public:
  // `externals` are the addresses the engine translates to (pool, static
  // NAT, forwards): a LAN packet to one of them hairpins back to the LAN.
  Routes(net::Ipv4Prefix lan, net::Ipv4Prefix wan, std::optional<net::Ipv4Addr> wan_gateway,
         std::vector<nat::AddressRange> externals);

  // Where a packet to `dst` leaving by `egress` goes next: `dst` itself on
  // a connected prefix, else the WAN gateway, else nowhere (RFC 1812
  // §4.3.3.1: network unreachable).
  std::optional<net::Ipv4Addr> next_hop(Side egress, net::Ipv4Addr dst) const noexcept;

  // The side a transit packet is expected to leave by, known before the
  // engine sees it, so that size and route can be checked while the packet
  // still looks as its sender made it: WAN -> LAN; LAN -> WAN, except
  // destinations on the LAN itself or at an external address (hairpin).
  Side egress_for(Side from, net::Ipv4Addr dst) const noexcept;

  bool is_external(net::Ipv4Addr a) const noexcept;
  const net::Ipv4Prefix& prefix(Side side) const noexcept {
    return side == Side::lan ? lan_ : wan_;
  }

 private:
  net::Ipv4Prefix lan_;
  net::Ipv4Prefix wan_;
  std::optional<net::Ipv4Addr> wan_gateway_;
  std::vector<nat::AddressRange> externals_;
};

}  // namespace masq::router
