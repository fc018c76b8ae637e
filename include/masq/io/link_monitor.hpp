// LinkMonitor: what the kernel says about links and IPv4 addresses as it
// happens, from the rtnetlink multicast groups RTNLGRP_LINK and
// RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV4_ROUTE (read with libnl-route-3): a
// link whose carrier comes or goes, an address added or removed (a DHCP
// client's lease on the host interface, a renumbering), a route changed. The owner polls fd() with
// its other descriptors and calls drain() when it is readable; nothing blocks. Events are about the
// calling thread's network namespace at open(). A link event is reported only when the link's state
// changes (the kernel also sends RTM_NEWLINK for statistics and other attributes). Cold: allocates.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "masq/net/ipv4_addr.hpp"

struct nl_sock;
struct nl_msg;

namespace masq::io {

struct LinkEvent {
  enum class Kind : std::uint8_t {
    link_up,
    link_down,
    address_added,
    address_removed,
    route_changed,  // an IPv4 route added or removed; ifindex 0
  };
  Kind kind = Kind::link_up;
  int ifindex = 0;
  std::string ifname;     // link events
  net::Ipv4Addr address;  // address events
  std::uint8_t prefix_length = 0;
};

struct InterfaceAddress {
  net::Ipv4Addr address;
  std::uint8_t prefix_length = 0;
};

class LinkMonitor {
 public:
  struct Opened {
    std::unique_ptr<LinkMonitor> monitor;  // set exactly when error is empty
    std::string error;
  };
  static Opened open();
  ~LinkMonitor();
  LinkMonitor(const LinkMonitor&) = delete;
  LinkMonitor& operator=(const LinkMonitor&) = delete;

  int fd() const;
  // Every event since the last call, in the kernel's order.
  std::vector<LinkEvent> drain();

  // Whether the link is up with a carrier (IFF_UP and IFF_RUNNING) now.
  static bool link_running(int ifindex);
  // The IPv4 addresses on the link now (an empty list also when it is gone).
  static std::vector<InterfaceAddress> ipv4_addresses(int ifindex);
  // The gateway of the IPv4 default route out of the link now, if any.
  static std::optional<net::Ipv4Addr> ipv4_gateway(int ifindex);

 private:
  explicit LinkMonitor(nl_sock* socket) : socket_(socket) {}
  static int on_message(nl_msg* msg, void* self);

  nl_sock* socket_;
  std::vector<LinkEvent> pending_;
  // Last state seen per ifindex, so that only changes become events.
  std::vector<std::pair<int, bool>> running_;
};

}  // namespace masq::io
