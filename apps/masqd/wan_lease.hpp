// The WAN's address when a DHCP client holds it (config::Interface::dhcp):
// WanLease is what the client's lease left on the WAN host interface, and
// LeaseWatch follows it through rtnetlink (io::LinkMonitor), so masqd
// learns each change from the kernel whichever client made it. Cold.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "masq/io/link_monitor.hpp"
#include "masq/net/ipv4_addr.hpp"

namespace masq::app {

struct WanLease {
  net::Ipv4Addr address;  // 0.0.0.0: none (no lease yet, or it ended)
  net::Ipv4Prefix prefix{net::Ipv4Addr(), 32};
  std::optional<net::Ipv4Addr> gateway;  // the default route out of the interface

  bool operator==(const WanLease&) const = default;
  // "203.0.113.7/24 via 203.0.113.254", or "none".
  std::string to_string() const;
};

class LeaseWatch {
 public:
  struct Opened {
    std::unique_ptr<LeaseWatch> watch;  // set exactly when error is empty
    std::string error;
  };
  // Follows the addresses and default route of interface `ifindex`.
  static Opened open(int ifindex);

  int fd() const { return monitor_->fd(); }
  // Reads what the kernel said since the last call; the lease as the
  // interface has it now when it differs from the last one returned (the
  // first call: from none).
  std::optional<WanLease> changed();

 private:
  LeaseWatch(std::unique_ptr<io::LinkMonitor> monitor, int ifindex)
      : monitor_(std::move(monitor)), ifindex_(ifindex) {}

  std::unique_ptr<io::LinkMonitor> monitor_;
  int ifindex_;
  std::optional<WanLease> last_;
};

}  // namespace masq::app
