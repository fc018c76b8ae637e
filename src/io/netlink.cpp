#include "netlink.hpp"

#include <endian.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <memory>

namespace masq::io::detail {
namespace {

struct SocketFree {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkPut {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrPut {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct RoutePut {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct NlAddrPut {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};

using Socket = std::unique_ptr<nl_sock, SocketFree>;

// A connected NETLINK_ROUTE socket, or null with `error` set.
Socket route_socket(std::string& error) {
  Socket s(nl_socket_alloc());
  if (!s) {
    error = "netlink: out of memory";
    return nullptr;
  }
  if (const int err = nl_connect(s.get(), NETLINK_ROUTE); err < 0) {
    error = std::string("netlink: ") + nl_geterror(err);
    return nullptr;
  }
  return s;
}

}  // namespace

std::string configure_link(int ifindex, const MacAddr& mac, std::uint32_t mtu) {
  std::string error;
  const Socket s = route_socket(error);
  if (!s) return error;
  const std::unique_ptr<rtnl_link, LinkPut> base(rtnl_link_alloc());
  const std::unique_ptr<rtnl_link, LinkPut> change(rtnl_link_alloc());
  const std::unique_ptr<nl_addr, NlAddrPut> lladdr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
  if (!base || !change || !lladdr) return "netlink: out of memory";
  rtnl_link_set_ifindex(base.get(), ifindex);
  rtnl_link_set_addr(change.get(), lladdr.get());
  rtnl_link_set_mtu(change.get(), mtu);
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (const int err = rtnl_link_change(s.get(), base.get(), change.get(), 0); err < 0) {
    return std::string("setting MAC, MTU and up: ") + nl_geterror(err);
  }
  return {};
}

std::string add_ipv4_address(int ifindex, net::Ipv4Addr address, std::uint8_t prefix_length) {
  std::string error;
  const Socket s = route_socket(error);
  if (!s) return error;
  const std::uint32_t be = htobe32(address.value());
  const std::unique_ptr<rtnl_addr, AddrPut> a(rtnl_addr_alloc());
  const std::unique_ptr<nl_addr, NlAddrPut> local(nl_addr_build(AF_INET, &be, sizeof be));
  if (!a || !local) return "netlink: out of memory";
  nl_addr_set_prefixlen(local.get(), prefix_length);
  rtnl_addr_set_ifindex(a.get(), ifindex);
  rtnl_addr_set_local(a.get(), local.get());
  if (const int err = rtnl_addr_add(s.get(), a.get(), 0); err < 0) {
    return "adding " + address.to_string() + "/" + std::to_string(prefix_length) + ": " +
           nl_geterror(err);
  }
  return {};
}

std::string add_default_route(int ifindex, net::Ipv4Addr gateway) {
  std::string error;
  const Socket s = route_socket(error);
  if (!s) return error;
  const std::uint32_t be = htobe32(gateway.value());
  const std::uint32_t any = 0;
  const std::unique_ptr<rtnl_route, RoutePut> route(rtnl_route_alloc());
  const std::unique_ptr<nl_addr, NlAddrPut> dst(nl_addr_build(AF_INET, &any, sizeof any));
  const std::unique_ptr<nl_addr, NlAddrPut> via(nl_addr_build(AF_INET, &be, sizeof be));
  rtnl_nexthop* hop = rtnl_route_nh_alloc();
  if (!route || !dst || !via || hop == nullptr) {
    if (hop != nullptr) rtnl_route_nh_free(hop);
    return "netlink: out of memory";
  }
  nl_addr_set_prefixlen(dst.get(), 0);
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_dst(route.get(), dst.get());
  rtnl_route_nh_set_ifindex(hop, ifindex);
  rtnl_route_nh_set_gateway(hop, via.get());
  rtnl_route_add_nexthop(route.get(), hop);  // the route owns it from here
  if (const int err = rtnl_route_add(s.get(), route.get(), NLM_F_CREATE); err < 0) {
    return "adding the default route via " + gateway.to_string() + ": " + nl_geterror(err);
  }
  return {};
}

}  // namespace masq::io::detail
