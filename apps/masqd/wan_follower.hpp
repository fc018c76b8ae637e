// WanFollower: the control plane's part in a WAN taken by DHCP. It keeps
// the DHCP client running (DhcpClient), reads the lease from the kernel
// (LeaseWatch), and posts each change to every worker as a WorkerCommand,
// which readdresses its engine, router and PCP server between batches; it
// logs each change, and says so while the WAN has no address. Runs on the
// control plane's thread, polled with its other descriptors. Cold.
#pragma once

#include <poll.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "dhcp_client.hpp"
#include "mailbox.hpp"
#include "wan_lease.hpp"

namespace masq::app {

class WanFollower {
 public:
  WanFollower(std::unique_ptr<DhcpClient> client, std::unique_ptr<LeaseWatch> lease)
      : client_(std::move(client)), lease_(std::move(lease)) {}

  // How long the control plane may poll before serve() must run: at once
  // the first time (the lease as it is at start), then a second (the
  // client is checked on it).
  int next_timeout_ms() const { return first_ ? 0 : kPollMs; }

  // Appends the descriptor to poll (POLLIN), remembering where it went.
  void poll_fds(std::vector<pollfd>& fds);
  // After poll(): restarts the client if it exited, and passes a changed
  // lease to every worker.
  void serve(std::uint64_t now_ms, const std::vector<pollfd>& fds,
             const std::vector<Mailbox*>& mailboxes);

 private:
  static constexpr int kPollMs = 1000;

  std::unique_ptr<DhcpClient> client_;
  std::unique_ptr<LeaseWatch> lease_;
  std::size_t fd_index_ = 0;
  bool first_ = true;
};

}  // namespace masq::app
