#include "wan_follower.hpp"

#include <spdlog/spdlog.h>

namespace masq::app {

void WanFollower::poll_fds(std::vector<pollfd>& fds) {
  fd_index_ = fds.size();
  fds.push_back({lease_->fd(), POLLIN, 0});
}

void WanFollower::serve(std::uint64_t now_ms, const std::vector<pollfd>& fds,
                        const std::vector<Mailbox*>& mailboxes) {
  if (const std::string said = client_->supervise(now_ms); !said.empty()) spdlog::warn("{}", said);
  const bool readable = fd_index_ < fds.size() && (fds[fd_index_].revents & POLLIN) != 0;
  if (!readable && !first_) return;
  first_ = false;
  const auto lease = lease_->changed();
  if (!lease) return;
  if (lease->address.is_unspecified()) {
    spdlog::warn("wan: no DHCP lease; nothing is translated until one comes");
  } else if (!lease->gateway) {
    spdlog::warn("wan: DHCP lease {} has no router; only the WAN prefix is reachable",
                 lease->to_string());
  } else {
    spdlog::info("wan: DHCP lease {}", lease->to_string());
  }
  for (Mailbox* m : mailboxes) {
    WorkerCommand command;
    command.lease = *lease;
    m->post(std::move(command));
  }
}

}  // namespace masq::app
