#include "wan_lease.hpp"

namespace masq::app {

std::string WanLease::to_string() const {
  if (address.is_unspecified()) return "none";
  std::string s = address.to_string() + "/" + std::to_string(prefix.length());
  if (gateway) s += " via " + gateway->to_string();
  return s;
}

LeaseWatch::Opened LeaseWatch::open(int ifindex) {
  auto monitor = io::LinkMonitor::open();
  if (!monitor.monitor) return {nullptr, monitor.error};
  return {std::unique_ptr<LeaseWatch>(new LeaseWatch(std::move(monitor.monitor), ifindex)), {}};
}

std::optional<WanLease> LeaseWatch::changed() {
  // The events only say that something changed; the kernel's state now is
  // the answer (an overrun loses events, never the state).
  monitor_->drain();
  WanLease now;
  const auto addresses = io::LinkMonitor::ipv4_addresses(ifindex_);
  if (!addresses.empty()) {
    now.address = addresses.front().address;
    now.prefix = net::Ipv4Prefix(now.address, addresses.front().prefix_length);
    // RFC 1812 §5.2.1: the next hop is resolved by ARP on the link.
    const auto gateway = io::LinkMonitor::ipv4_gateway(ifindex_);
    if (gateway && now.prefix.contains(*gateway) && *gateway != now.address) now.gateway = gateway;
  }
  if (last_ && *last_ == now) return std::nullopt;
  last_ = now;
  return now;
}

}  // namespace masq::app
