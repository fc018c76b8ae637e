#include "watch.hpp"

#include <spdlog/spdlog.h>

namespace masq::app {

Watch::Opened Watch::open(int lan_ifindex, int wan_ifindex) {
  auto links = io::LinkMonitor::open();
  if (!links.monitor) return {nullptr, "watching the links: " + links.error};
  return {std::unique_ptr<Watch>(new Watch(std::move(links.monitor), lan_ifindex, wan_ifindex)),
          {}};
}

Watch::Watch(std::unique_ptr<io::LinkMonitor> links, int lan_ifindex, int wan_ifindex)
    : links_(std::move(links)),
      lan_ifindex_(lan_ifindex),
      wan_ifindex_(wan_ifindex),
      lan_up_(io::LinkMonitor::link_running(lan_ifindex)),
      wan_up_(io::LinkMonitor::link_running(wan_ifindex)) {}

pollfd Watch::poll_fd() const {
  return {links_->fd(), POLLIN, 0};
}

void Watch::on_link(int ifindex, bool up) {
  const bool lan = ifindex == lan_ifindex_;
  if (!lan && ifindex != wan_ifindex_) return;
  bool& known = lan ? lan_up_ : wan_up_;
  if (known == up) return;
  known = up;
  const char* side = lan ? "lan" : "wan";
  if (up) {
    ++(lan ? counters_.lan_link_up : counters_.wan_link_up);
    spdlog::info("{} link is up: forwarding resumes", side);
  } else {
    ++(lan ? counters_.lan_link_down : counters_.wan_link_down);
    spdlog::warn("{} link is down: nothing crosses it until it comes back", side);
  }
}

void Watch::service() {
  for (const io::LinkEvent& e : links_->drain()) {
    if (e.kind == io::LinkEvent::Kind::link_up || e.kind == io::LinkEvent::Kind::link_down) {
      on_link(e.ifindex, e.kind == io::LinkEvent::Kind::link_up);
    }
  }
}

}  // namespace masq::app
