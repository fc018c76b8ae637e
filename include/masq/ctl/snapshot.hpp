// Snapshot: a copy of the gateway's state taken by the worker between
// batches. It is the one source of truth that masqctl, metrics and logs
// read: nothing reads the engine's tables directly. Cold.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "masq/nat/session_view.hpp"

namespace masq::ctl {

// Named counters of one part of the gateway ("nat", "nat.drops",
// "router", "io.lan", ...), in a stable order.
struct CounterGroup {
  std::string name;
  std::vector<std::pair<std::string, std::uint64_t>> values;
};

struct Status {
  std::string version;
  std::string lan;  // "lan0 192.168.77.1/24 af_packet"
  std::string wan;
  std::uint64_t uptime_s = 0;
  std::uint64_t sessions = 0;
  std::uint64_t max_sessions = 0;
};

}  // namespace masq::ctl
