// WorkerCommand: a change the control plane asks of a worker's engine,
// carried by the Mailbox and run between batches by the worker's
// CommandRunner. The control plane sends each command to every worker and
// adds their CommandResults up (each worker holds its own sessions). Cold.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "masq/ctl/session_filter.hpp"
#include "masq/nat/engine_config.hpp"
#include "wan_lease.hpp"

namespace masq::app {

struct WorkerCommand {
  std::uint64_t ticket = 0;  // given by Mailbox::post()
  // Removes the sessions this selects (every one when empty), like conntrack -D.
  ctl::SessionFilter delete_sessions;
  // Instead: the WAN's DHCP lease changed (the worker's readdress()).
  std::optional<WanLease> lease;
  // Instead: the engine config to take (a reload or a rule changed;
  // Reloader), the same for every worker, which each make their own
  // (their slice, the WAN's leased address) and reconfigure with.
  std::shared_ptr<const nat::EngineConfig> config;
  // Run whole at once (a lease or a config), not in slices.
  bool whole() const { return lease.has_value() || config != nullptr; }
};

struct CommandResult {
  std::uint64_t ticket = 0;
  std::uint64_t deleted = 0;  // sessions removed (on the old address, for a lease)
  std::uint64_t refused = 0;  // workers whose engine refused a config

  // One worker's answer added to the others'.
  CommandResult& operator+=(const CommandResult& other) {
    deleted += other.deleted;
    refused += other.refused;
    return *this;
  }
};

}  // namespace masq::app
