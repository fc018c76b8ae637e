// MartianFilter: the address screening a router does before forwarding or
// answering (RFC 1812 §5.3.7 martian filtering, §5.3.5 broadcasts):
//  - martian sources: 0/8, 127/8, multicast, 240/4 (limited broadcast
//    included), the directed broadcast of a connected prefix, our own
//    interface addresses; on the WAN also any source inside the LAN prefix
//    (it cannot be genuine there);
//  - martian destinations: 0/8, 127/8, 240/4 other than limited broadcast;
//  - broadcast destinations: limited broadcast, multicast, and the directed
//    broadcast of a connected prefix (never forwarded, RFC 2644).
// Prefixes of length 31 and 32 have no broadcast address (RFC 3021).
// Hot: a handful of compares per packet.
#pragma once

#include "masq/nat/verdict.hpp"
#include "masq/net/ipv4_addr.hpp"
#include "masq/router/drop_reason.hpp"

namespace masq::router {

class MartianFilter {
 public:
  MartianFilter(net::Ipv4Addr lan_address, net::Ipv4Prefix lan, net::Ipv4Addr wan_address,
                net::Ipv4Prefix wan) noexcept;

  // DropReason::none, martian_source, martian_destination or broadcast_destination.
  DropReason check(Side from, net::Ipv4Addr src, net::Ipv4Addr dst) const noexcept;

 private:
  bool is_directed_broadcast(net::Ipv4Addr a) const noexcept;

  net::Ipv4Addr lan_address_;
  net::Ipv4Prefix lan_;
  net::Ipv4Addr wan_address_;
  net::Ipv4Prefix wan_;
};

}  // namespace masq::router
