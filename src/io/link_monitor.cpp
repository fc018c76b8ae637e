#include "masq/io/link_monitor.hpp"

#include <endian.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

namespace masq::io {
namespace {

bool is_running(unsigned flags) {
  return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
}

struct Parse {
  LinkMonitor* monitor;
  int type;  // RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE
};

std::optional<net::Ipv4Addr> ipv4_of(nl_addr* a) {
  if (a == nullptr || nl_addr_get_family(a) != AF_INET || nl_addr_get_len(a) != 4) {
    return std::nullopt;
  }
  std::uint32_t be = 0;
  std::memcpy(&be, nl_addr_get_binary_addr(a), sizeof be);
  return net::Ipv4Addr(be32toh(be));
}

std::optional<InterfaceAddress> ipv4_of(rtnl_addr* a) {
  if (rtnl_addr_get_family(a) != AF_INET) return std::nullopt;
  const auto local = ipv4_of(rtnl_addr_get_local(a));
  if (!local) return std::nullopt;
  return InterfaceAddress{*local, static_cast<std::uint8_t>(rtnl_addr_get_prefixlen(a))};
}

}  // namespace

LinkMonitor::Opened LinkMonitor::open() {
  nl_sock* s = nl_socket_alloc();
  if (s == nullptr) return {nullptr, "netlink: out of memory"};
  std::unique_ptr<LinkMonitor> m(new LinkMonitor(s));
  // Multicast notifications carry no sequence number of ours.
  nl_socket_disable_seq_check(s);
  nl_socket_modify_cb(s, NL_CB_VALID, NL_CB_CUSTOM, &LinkMonitor::on_message, m.get());
  if (const int err = nl_connect(s, NETLINK_ROUTE); err < 0) {
    return {nullptr, std::string("netlink: ") + nl_geterror(err)};
  }
  if (const int err =
          nl_socket_add_memberships(s, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, 0);
      err < 0) {
    return {nullptr, std::string("netlink groups: ") + nl_geterror(err)};
  }
  nl_socket_set_nonblocking(s);
  return {std::move(m), {}};
}

LinkMonitor::~LinkMonitor() {
  nl_socket_free(socket_);
}

int LinkMonitor::fd() const {
  return nl_socket_get_fd(socket_);
}

int LinkMonitor::on_message(nl_msg* msg, void* self) {
  Parse parse{static_cast<LinkMonitor*>(self), nlmsg_hdr(msg)->nlmsg_type};
  nl_msg_parse(
      msg,
      [](nl_object* object, void* arg) {
        auto& p = *static_cast<Parse*>(arg);
        LinkMonitor& m = *p.monitor;
        if (p.type == RTM_NEWLINK || p.type == RTM_DELLINK) {
          auto* link = reinterpret_cast<rtnl_link*>(object);
          const int ifindex = rtnl_link_get_ifindex(link);
          const bool running = p.type == RTM_NEWLINK && is_running(rtnl_link_get_flags(link));
          auto known = std::find_if(m.running_.begin(), m.running_.end(),
                                    [&](const auto& e) { return e.first == ifindex; });
          if (known == m.running_.end()) {
            m.running_.emplace_back(ifindex, running);
          } else if (known->second == running) {
            return;  // an attribute changed, not the state
          } else {
            known->second = running;
          }
          LinkEvent e;
          e.kind = running ? LinkEvent::Kind::link_up : LinkEvent::Kind::link_down;
          e.ifindex = ifindex;
          if (const char* name = rtnl_link_get_name(link)) e.ifname = name;
          m.pending_.push_back(std::move(e));
        } else if (p.type == RTM_NEWADDR || p.type == RTM_DELADDR) {
          auto* addr = reinterpret_cast<rtnl_addr*>(object);
          const auto v4 = ipv4_of(addr);
          if (!v4) return;
          LinkEvent e;
          e.kind = p.type == RTM_NEWADDR ? LinkEvent::Kind::address_added
                                         : LinkEvent::Kind::address_removed;
          e.ifindex = rtnl_addr_get_ifindex(addr);
          e.address = v4->address;
          e.prefix_length = v4->prefix_length;
          m.pending_.push_back(std::move(e));
        } else if (p.type == RTM_NEWROUTE || p.type == RTM_DELROUTE) {
          if (rtnl_route_get_family(reinterpret_cast<rtnl_route*>(object)) != AF_INET) return;
          LinkEvent e;
          e.kind = LinkEvent::Kind::route_changed;
          m.pending_.push_back(std::move(e));
        }
      },
      &parse);
  return NL_OK;
}

std::vector<LinkEvent> LinkMonitor::drain() {
  // Until the socket has nothing more: -NLE_AGAIN. An overrun (-NLE_NOMEM,
  // ENOBUFS) loses notifications; the caller's periodic check of
  // link_running() and ipv4_addresses() catches up with the state.
  while (nl_recvmsgs_default(socket_) >= 0) {
  }
  return std::exchange(pending_, {});
}

bool LinkMonitor::link_running(int ifindex) {
  nl_sock* s = nl_socket_alloc();
  if (s == nullptr) return false;
  bool running = false;
  rtnl_link* link = nullptr;
  if (nl_connect(s, NETLINK_ROUTE) == 0 && rtnl_link_get_kernel(s, ifindex, nullptr, &link) == 0) {
    running = is_running(rtnl_link_get_flags(link));
    rtnl_link_put(link);
  }
  nl_socket_free(s);
  return running;
}

std::vector<InterfaceAddress> LinkMonitor::ipv4_addresses(int ifindex) {
  std::vector<InterfaceAddress> out;
  nl_sock* s = nl_socket_alloc();
  if (s == nullptr) return out;
  nl_cache* cache = nullptr;
  if (nl_connect(s, NETLINK_ROUTE) == 0 && rtnl_addr_alloc_cache(s, &cache) == 0) {
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr; o = nl_cache_get_next(o)) {
      auto* a = reinterpret_cast<rtnl_addr*>(o);
      if (rtnl_addr_get_ifindex(a) != ifindex) continue;
      if (const auto v4 = ipv4_of(a)) out.push_back(*v4);
    }
    nl_cache_free(cache);
  }
  nl_socket_free(s);
  return out;
}

std::optional<net::Ipv4Addr> LinkMonitor::ipv4_gateway(int ifindex) {
  std::optional<net::Ipv4Addr> gateway;
  nl_sock* s = nl_socket_alloc();
  if (s == nullptr) return gateway;
  nl_cache* cache = nullptr;
  if (nl_connect(s, NETLINK_ROUTE) == 0 && rtnl_route_alloc_cache(s, AF_INET, 0, &cache) == 0) {
    for (nl_object* o = nl_cache_get_first(cache); o != nullptr && !gateway;
         o = nl_cache_get_next(o)) {
      auto* r = reinterpret_cast<rtnl_route*>(o);
      nl_addr* dst = rtnl_route_get_dst(r);
      if (rtnl_route_get_table(r) != RT_TABLE_MAIN || dst == nullptr ||
          nl_addr_get_prefixlen(dst) != 0 || rtnl_route_get_nnexthops(r) < 1) {
        continue;
      }
      rtnl_nexthop* hop = rtnl_route_nexthop_n(r, 0);
      if (rtnl_route_nh_get_ifindex(hop) == ifindex)
        gateway = ipv4_of(rtnl_route_nh_get_gateway(hop));
    }
    nl_cache_free(cache);
  }
  nl_socket_free(s);
  return gateway;
}

}  // namespace masq::io
