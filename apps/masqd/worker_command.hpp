// WorkerCommand: a change the control plane asks of a worker's engine,
// carried by the Mailbox and run between batches by the worker's
// CommandRunner. The control plane sends each command to every worker and
// adds their CommandResults up (each worker holds its own sessions). Cold.
#pragma once

#include <cstdint>
#include <optional>

#include "masq/ctl/session_filter.hpp"
#include "wan_lease.hpp"

namespace masq::app {

struct WorkerCommand {
  std::uint64_t ticket = 0;  // given by Mailbox::post()
  // Removes the sessions this selects (every one when empty), like conntrack -D.
  ctl::SessionFilter delete_sessions;
  // Instead: the WAN's DHCP lease changed (the worker's readdress()).
  std::optional<WanLease> lease;
};

struct CommandResult {
  std::uint64_t ticket = 0;
  std::uint64_t deleted = 0;  // sessions removed (on the old address, for a lease)

  // One worker's answer added to the others'.
  CommandResult& operator+=(const CommandResult& other) {
    deleted += other.deleted;
    return *this;
  }
};

}  // namespace masq::app
